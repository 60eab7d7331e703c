import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL from db/schema.ts; migrations are applied by
// db/migrate.ts (at server start and by `npm run db:migrate`) for both drivers.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});

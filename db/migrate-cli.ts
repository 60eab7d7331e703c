// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
import { closeDb, connection } from "./client";

async function main() {
  const { driver } = await connection();
  console.log(`Migrations applied (${driver}).`);
  await closeDb();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

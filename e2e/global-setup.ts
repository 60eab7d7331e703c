import fs from "node:fs";
import path from "node:path";
import { startStack } from "../tests/support/stack";

/**
 * The production server the browser talks to: a fresh database, the real Redis (when
 * REDIS_URL is set) and the fake model. Details for tests go to e2e/.stack.json.
 */
export default async function globalSetup() {
  const port = Number(process.env.E2E_PORT ?? 3107);
  const stack = await startStack({ port });
  const { stop, ...details } = stack;
  fs.writeFileSync(path.join(__dirname, ".stack.json"), JSON.stringify(details));
  return async () => {
    await stop();
    fs.rmSync(path.join(__dirname, ".stack.json"), { force: true });
  };
}

import fs from "node:fs";
import path from "node:path";
import { startStack } from "../tests/support/stack";

/**
 * The production server the browser talks to: a fresh database, the real Redis (when
 * REDIS_URL is set) and the fake model (two allowed models). Details for tests go to e2e/.stack.json.
 */
export default async function globalSetup() {
  const port = Number(process.env.E2E_PORT ?? 3107);
  // Two models, so the chat shows its model picker (docs/ui.md#chat-settings); "fake-model"
  // (LLM_MODEL) stays the default every other spec is answered by.
  const stack = await startStack({ port, env: { LLM_MODELS: "fake-model,fake-large" } });
  const { stop, ...details } = stack;
  fs.writeFileSync(path.join(__dirname, ".stack.json"), JSON.stringify(details));
  return async () => {
    await stop();
    fs.rmSync(path.join(__dirname, ".stack.json"), { force: true });
  };
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";

/**
 * Runs this test file's worker on the embedded defaults (PGlite + the in-process history
 * store, i.e. `npm run dev` with no configuration), whatever the run's environment says,
 * in a fresh data directory removed afterwards.
 */
export function useEmbeddedDatabase(tag: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ainfo-${tag}-`));
  beforeAll(async () => {
    for (const key of ["DATABASE_URL", "REDIS_URL", "UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN"]) delete process.env[key];
    process.env.DATA_DIR = dataDir;
    (await import("@/lib/env")).resetEnvCache();
  }, 60_000);
  afterAll(async () => {
    await (await import("@/db/client")).closeDb();
    await (await import("@/lib/history")).closeHistoryStore();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
}

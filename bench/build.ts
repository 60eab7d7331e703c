import { spawnSync } from "node:child_process";
import path from "node:path";

/** `next build` in the project root (the production build `next start` serves). */
export function buildForProduction(root: string) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
  return (Date.now() - started) / 1000;
}

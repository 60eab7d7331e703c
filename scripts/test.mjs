#!/usr/bin/env node
// `npm test`: production build, then Vitest (unit + integration) and the Playwright e2e
// suite, both always run; ends with one line `N passed, N failed` from their JSON reports.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", env: process.env }).status ?? 1;
const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
};

fs.rmSync("test-reports/vitest.json", { force: true });
fs.rmSync("test-reports/playwright.json", { force: true });
fs.mkdirSync("test-reports", { recursive: true });

let failures = 0;
if (process.env.SKIP_BUILD !== "1" && run("npx", ["next", "build"]) !== 0) {
  console.error("next build failed");
  failures += 1;
} else {
  const vitestStatus = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-reports/vitest.json"]);
  const playwrightStatus = run("npx", ["playwright", "test"]);
  const vitest = readJson("test-reports/vitest.json");
  const playwright = readJson("test-reports/playwright.json");
  // A suite that crashed before reporting counts as a failure, never as silence.
  if (!vitest && vitestStatus !== 0) failures += 1;
  if (!playwright && playwrightStatus !== 0) failures += 1;
  var passed =
    (vitest?.numPassedTests ?? 0) + (playwright?.stats?.expected ?? 0) + (playwright?.stats?.flaky ?? 0);
  failures += (vitest?.numFailedTests ?? 0) + (playwright?.stats?.unexpected ?? 0);
  if (vitest && vitestStatus !== 0 && (vitest.numFailedTests ?? 0) === 0) failures += 1; // e.g. a failed suite file
}
console.log(`${passed ?? 0} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);

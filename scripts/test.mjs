#!/usr/bin/env node
// `npm test`: a production build, then Vitest (unit + integration) and the Playwright e2e
// suite — both always run — and one closing line `N passed, N failed` from their JSON reports.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const REPORTS = "test-reports"; // not test-results/: Playwright empties that folder when it starts
const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", env: process.env }).status ?? 1;
const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
};

/** Counts of one suite; a suite that failed without a report counts as one failure, never as silence. */
function counts(status, report, passedOf, failedOf) {
  if (!report) return { passed: 0, failed: status === 0 ? 0 : 1 };
  const failed = failedOf(report);
  return { passed: passedOf(report), failed: failed === 0 && status !== 0 ? 1 : failed };
}

fs.rmSync(REPORTS, { recursive: true, force: true });
fs.mkdirSync(REPORTS, { recursive: true });

let total = { passed: 0, failed: 0 };
if (process.env.SKIP_BUILD !== "1" && run("npx", ["next", "build"]) !== 0) {
  console.error("next build failed");
  total.failed = 1;
} else {
  const vitestStatus = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/vitest.json`]);
  const playwrightStatus = run("npx", ["playwright", "test"]);
  const vitest = counts(vitestStatus, readJson(`${REPORTS}/vitest.json`), (r) => r.numPassedTests, (r) => r.numFailedTests);
  const e2e = counts(
    playwrightStatus,
    readJson(`${REPORTS}/playwright.json`),
    (r) => r.stats.expected + r.stats.flaky,
    (r) => r.stats.unexpected,
  );
  total = { passed: vitest.passed + e2e.passed, failed: vitest.failed + e2e.failed };
}
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 ? 0 : 1);

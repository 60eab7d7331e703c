import { defineConfig, devices } from "@playwright/test";
import fs from "node:fs";

/** Chromium from PLAYWRIGHT_CHROMIUM_PATH, else Debian's, else Playwright's own download. */
function chromiumPath() {
  for (const candidate of [process.env.PLAYWRIGHT_CHROMIUM_PATH, "/usr/bin/chromium"]) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3107);

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-reports/playwright.json" }]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      // A person's browser runs under a UTF-8 locale. Under CI's bare environment (no LANG)
      // Chromium's file names are ASCII-only, and a download named "제주도 여행.md" would be
      // saved as "download".
      env: { ...process.env, LANG: process.env.LANG || "C.UTF-8" },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
});

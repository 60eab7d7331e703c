import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // The `server-only` guard throws outside Next's server bundles; tests are server code.
      "server-only": path.resolve(root, "tests/support/empty.ts"),
    },
  },
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The suites share one app server; a few files at a time keep the 2-core machine honest.
    maxWorkers: 2,
    projects: [
      {
        // Pure functions and modules in-process: no build, no server (`npm run test:unit`).
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"] },
      },
      {
        // Everything over HTTP against a production server that global-setup starts.
        extends: true,
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/unit/**"],
          globalSetup: ["tests/global-setup.ts"],
        },
      },
    ],
  },
});

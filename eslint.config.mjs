import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// `npm run lint`: Next.js's rules (core web vitals), React and React Hooks, typescript-eslint.
export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      // `_name` marks a value that is deliberately unused (a destructured-away field, a fixture).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // The layers (README "Architecture"): the domain under lib/ never answers HTTP, and db/
    // knows nothing above it. lib/api and app/ may import the domain, not the other way round.
    files: ["lib/**", "db/**"],
    ignores: ["lib/api/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/lib/api/*", "@/app/*", "next/server"], message: "HTTP belongs in lib/api and app/, not in the domain." }] },
      ],
    },
  },
  {
    // Tests read JSON off the wire; typing every response body would add noise, not safety.
    // Playwright's fixtures call `use`, which is not React's hook.
    files: ["tests/**", "e2e/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "react-hooks/rules-of-hooks": "off" },
  },
  globalIgnores([".next/**", "node_modules/**", "test-results/**", "playwright-report/**", "test-reports/**", ".data/**", ".scratch/**", "next-env.d.ts", "bench/results/**"]),
]);

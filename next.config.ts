import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // SPEC §5: `/api/chatbot/room` and `/api/chatbot/room/` must both reach the handler
  // directly; DRF clients always send the slash, newer ones often don't.
  skipTrailingSlashRedirect: true,
  // PGlite loads its WASM and data files from its own package directory at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  poweredByHeader: false,
};

export default nextConfig;

import type { NextConfig } from "next";
import { securityHeaders } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // `.next/standalone`: server.js with only the node_modules it uses, for the Docker image
  // (README "Deploy"). `next start` still serves `.next/` as before.
  output: "standalone",
  // Migrations are read from disk at start (db/migrate.ts), not imported: ship them along.
  outputFileTracingIncludes: { "/*": ["./db/migrations/**/*"] },
  // docs/api.md: `/api/chatbot/room` and `/api/chatbot/room/` must both reach the handler
  // directly; DRF clients always send the slash, newer ones often don't.
  skipTrailingSlashRedirect: true,
  // PGlite loads its WASM and data files from its own package directory at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  poweredByHeader: false,
  // Metadata (the page <title>) is rendered in the <head> before the page for every client,
  // not streamed in at the end of the body: the document is titled from its first bytes,
  // without JavaScript too. A room's generateMetadata is one indexed lookup.
  htmlLimitedBots: /.*/,
  async headers() {
    return [
      // The REST API sets these itself (lib/api/handler.ts): a header given here costs every
      // request a path-to-regexp compile of the policy (a quarter of a small GET's time, bench/).
      { source: "/:path((?!api/chatbot(?:/|$)).*)", headers: securityHeaders },
      // docs/security.md: API answers are per-user; no browser or shared cache may keep one.
      // Except the paths of the conditional GETs (docs/api.md#conditional-requests): their
      // route handlers set it (`no-cache` on the GET, `no-store` otherwise), and a header
      // given here would override theirs.
      {
        source: "/api/:path((?!chatbot/room(?:/\\d+(?:/logs)?)?/?$).*)",
        headers: [{ key: "Cache-Control", value: "private, no-store" }],
      },
      // docs/security.md#share-links: shared chats stay out of search engines, found or not.
      { source: "/s/:path*", headers: [{ key: "X-Robots-Tag", value: "noindex, nofollow" }] },
    ];
  },
};

export default nextConfig;

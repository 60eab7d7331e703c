# syntax=docker/dockerfile:1
# AInfo Chat, production image: Next.js's standalone output on a slim Node (README "Deploy").
#   docker build -t ainfo-chat .      (compose.yaml does this for you)
ARG NODE_VERSION=20

# 1. Dependencies, from the lockfile only (cached until package*.json change).
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. The build: `.next/standalone` holds server.js and only the node_modules it uses
#    (PGlite's WebAssembly, argon2's prebuilt binary and db/migrations traced in).
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npx next build

# 3. The runtime: the standalone server, its static files, nothing else. Same base image as
#    the build, so argon2's native binary matches the C library.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/app/.data
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY scripts/docker-entrypoint.sh ./docker-entrypoint.sh
# The code stays root-owned (read-only for the server); it writes only its data directory
# (embedded database, generated secret) and Next's cache.
RUN mkdir -p .data .next/cache && chown node:node .data .next/cache
# `node` (uid 1000) is the unprivileged user of the official Node images.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/bin/sh", "/app/docker-entrypoint.sh"]

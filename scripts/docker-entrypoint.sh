#!/bin/sh
# The image's entrypoint (Dockerfile): starts the standalone server with `exec`, so that the
# server itself (not this shell) receives the container's SIGTERM.
#
# Without AUTH_SECRET (or NEXTAUTH_SECRET), one is generated on the first start and kept in
# DATA_DIR (a volume in compose.yaml): `docker compose up` works without a .env. Several
# instances behind a load balancer must share one secret: set AUTH_SECRET (README "Deploy").
set -eu
if [ -z "${AUTH_SECRET:-}" ] && [ -z "${NEXTAUTH_SECRET:-}" ]; then
  secret_file="${DATA_DIR:-/app/.data}/auth-secret"
  if [ ! -s "$secret_file" ]; then
    (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))' > "$secret_file")
  fi
  AUTH_SECRET="$(cat "$secret_file")"
  export AUTH_SECRET
fi
exec node server.js

#!/bin/sh
# Completes Next's standalone output into the runnable server that `npm start`, the end-to-end
# tests and the Docker image all run:
#   .next/standalone/            traced server files and node_modules (written by `next build`)
#     server.mjs                 our entry point (writes the TCP peer for lib/access), not Next's server.js
#     lib/ops/access-log.mjs     server.mjs's one import of ours: request ids and the access log
#     .next/static/              the browser assets (next build leaves them out of standalone)
#     public/                    static files, when the project has any
#     drizzle/                   the migrations applied at start
#     db.mjs                     db:prune and db:backup, bundled (the image has no esbuild)
# Run it after `next build` from the project root (`npm run build` does both).
set -eu

cd "$(dirname "$0")/.."
out=.next/standalone

if [ ! -f "$out/.next/required-server-files.json" ]; then
  echo "assemble-standalone: $out is missing or incomplete; run \`next build\` first (output: \"standalone\" in next.config.mjs)." >&2
  exit 1
fi

# Next's generated server.js would serve the app without server.mjs's peer mark (every client
# would then look alike to the rate limits and the access checks): leave only ours.
rm -f "$out/server.js"
cp server.mjs "$out/server.mjs"
# server.mjs's own import (request ids, the access log): plain JavaScript, outside Next's bundles.
mkdir -p "$out/lib/ops"
cp lib/ops/access-log.mjs "$out/lib/ops/access-log.mjs"

rm -rf "$out/.next/static" "$out/public" "$out/drizzle"
cp -R .next/static "$out/.next/static"
if [ -d public ]; then cp -R public "$out/public"; fi
cp -R drizzle "$out/drizzle"

# `node db.mjs prune` / `node db.mjs backup <file>` beside the server: npm run db:* for the image.
node scripts/db.mjs --bundle-to "$out/db.mjs"

# Env files belong to whoever runs the server (read from its working directory), not to the build.
rm -f "$out/.env" "$out/.env.production"

echo "assemble-standalone: runnable server in $out (start it with: node $out/server.mjs)"

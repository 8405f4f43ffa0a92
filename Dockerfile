# syntax=docker/dockerfile:1
# Interaction Inspector: build with `docker build -t interaction-inspector .`, run as README's
# "Deploy with Docker" says. The runtime image holds only the standalone server that
# scripts/assemble-standalone.sh lays out, the same one the end-to-end tests run.

# --- build: compilers for better-sqlite3's native module live here only ---------------------
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# next build, then scripts/assemble-standalone.sh: .next/standalone is the whole runnable server.
RUN npm run build

# --- runtime ---------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
# tini as PID 1: forwards SIGTERM to the server (which drains and closes the database) and reaps children.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATABASE_URL=file:/data/inspector.db
WORKDIR /app
COPY --from=build --chown=root:root /src/.next/standalone ./
# The app's files stay root-owned (read-only to the server); only /data is writable, by `node`.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Readiness: the database takes a write and its migrations are at head (503 while stopping).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server.mjs"]

#!/usr/bin/env node
// The process that accepts connections and hands each request to Next.
//
// Why not `next start` (or the server.js Next writes into its standalone output): Next fills
// X-Forwarded-For only when the client left it out, so inside the app a client can claim any
// address. This server is the one place that knows the TCP peer; it drops any client-sent
// PEER_HEADER and writes the real peer there, prefixed with a secret that exists only in this
// process (lib/access/client-identity.ts checks it, so a request that reached the app some other
// way is treated as coming from an unknown, untrusted client).
//
// It runs in two places: the project root (`npm run dev`) and the standalone server that
// scripts/assemble-standalone.sh lays out in .next/standalone (`npm start`, the Docker image, the
// end-to-end tests). The folder this file sits in is the app; the working directory is where the
// operator started it: a relative DATABASE_URL and the .env files are read from there.
//
// Usage: node server.mjs [-p PORT] [-H HOSTNAME] [--dev]. PORT and HOSTNAME are also read from the
// environment (the only process.env reads outside lib/env.ts besides instrumentation's runtime check).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { observeRequest } from "./lib/ops/access-log.mjs";

const PEER_HEADER = "x-inspector-peer";
// Set (to the secret) on a request this process re-sent to itself: lib/access isResentByServer.
const RESENT_HEADER = "x-inspector-resent";
const PEER_SECRET = Symbol.for("interaction-inspector.peer-secret");
// Read by db/client.ts: the migrations this release ships sit beside this file.
const APP_DIR = Symbol.for("interaction-inspector.app-dir");
// Set by lib/ops/lifecycle.ts at start: the app's shutdown steps (readiness, grace, database close).
const LIFECYCLE = Symbol.for("interaction-inspector.lifecycle");
// The port actually bound, for absolute links to a request with no Host (lib/http.ts).
const LISTENING_PORT = Symbol.for("interaction-inspector.listening-port");
// Set here, called by lib/startup.ts once the app is ready to serve.
const STARTED = Symbol.for("interaction-inspector.started");

function option(short, long) {
  const args = process.argv.slice(2);
  const index = args.findIndex((arg) => arg === short || arg === long);
  return index >= 0 ? args[index + 1] : undefined;
}

function log(level, msg, fields = {}) {
  console.log(JSON.stringify({ level, time: Date.now(), msg, ...fields }));
}

const dev = process.argv.includes("--dev");
const port = Number(option("-p", "--port") ?? process.env.PORT ?? 3000);
const hostname = option("-H", "--hostname") ?? process.env.HOSTNAME ?? "0.0.0.0";
const dir = path.dirname(fileURLToPath(import.meta.url));
const secret = randomBytes(24).toString("base64url");
globalThis[PEER_SECRET] = secret;
globalThis[APP_DIR] = dir;

// Next reads .env files from the app folder; the operator keeps them (.env.local and the like) where
// they start the server. Loaded first, so Next's own (cached) load finds these.
const requireFromNext = createRequire(createRequire(import.meta.url).resolve("next"));
requireFromNext("@next/env").loadEnvConfig(process.cwd(), dev, { info() {}, error: (...args) => console.error(...args) });

// A production start uses the configuration the build recorded (next.config.mjs is not part of the
// standalone output); Next then knows it runs a standalone build and does not warn about it.
let conf;
if (!dev) {
  const manifest = path.join(dir, ".next", "required-server-files.json");
  if (!fs.existsSync(manifest)) {
    console.error(`Interaction Inspector cannot start: no production build in ${path.join(dir, ".next")}. Run \`npm run build\` first.`);
    process.exit(1);
  }
  conf = JSON.parse(fs.readFileSync(manifest, "utf8")).config;
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(conf);
}

// The port is bound before Next is created: with `-p 0` the OS picks a free port (the end-to-end
// tests start every app that way), and Next must be told the real one, since it builds absolute
// URLs (redirects) from it and takes 0 to mean 3000. Requests that arrive while Next prepares wait.
let ready;
const handlerReady = new Promise((resolve) => (ready = resolve));

const server = createServer((request, response) => {
  const marked = request.headers[PEER_HEADER];
  delete request.headers[PEER_HEADER];
  delete request.headers[RESENT_HEADER];
  // Next sends some requests to itself over HTTP, from 127.0.0.1, with the original headers (a
  // server action its page does not bundle; a rewrite it takes for another origin's): such a
  // request's socket says nothing about the client, but the original request's mark (which only
  // this process can write) does. Without the mark, a request is known by its socket like any
  // other, whatever it claims.
  const forwardedPeer = typeof marked === "string" && marked.startsWith(`${secret} `) ? marked.slice(secret.length + 1) : undefined;
  const peer = forwardedPeer ?? request.socket.remoteAddress ?? "";
  request.headers[PEER_HEADER] = `${secret} ${peer}`;
  if (forwardedPeer !== undefined) request.headers[RESENT_HEADER] = secret;
  // Request id, access-log line and request metrics: lib/ops/access-log.mjs.
  void handlerReady.then((handle) => observeRequest(request, response, () => handle(request, response)));
});

await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(port, hostname, () => {
    server.off("error", reject);
    resolve();
  });
});
const boundPort = server.address().port;
globalThis[LISTENING_PORT] = boundPort;

// Next builds its own origin from this name, and NextURL writes any loopback address as
// "localhost": named otherwise (127.0.0.1), Next takes its own rewrites for another origin's and
// proxies them to itself over HTTP. The socket is bound above; this name is only for URLs.
const nextHostname = /^(127\.\d+\.\d+\.\d+|::1)$/.test(hostname) ? "localhost" : hostname;
// lib/startup.ts (run by instrumentation's register(), which Next starts in the background) calls
// this when the app is ready: configuration checked, database open and migrated. Until then no
// request is handled and "listening" is not said: a launcher waiting for that line must not see
// it from a process about to exit over its configuration or its database.
let started;
const startedUp = new Promise((resolve) => (started = resolve));
globalThis[STARTED] = started;
const app = next({ dev, dir, hostname: nextHostname, port: boundPort, ...(conf ? { conf } : {}) });
await app.prepare();
// In development register() may wait for a first request: do not wait for it there.
if (!dev) await startedUp;
ready(app.getRequestHandler());
// A launcher that asked for port 0 reads the real one from this line's `port`.
log(30, `listening on http://${hostname}:${boundPort}`, { port: boundPort, dev, appDir: dir });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// SIGTERM/SIGINT: readiness fails at once; new connections are still accepted for the drain
// window (a load balancer needs a moment to notice), then refused; in-flight requests get until
// the grace ends; the database is checkpointed and closed; exit 0. A second signal exits at once,
// unless it comes within a second of the first: Ctrl-C under `npm start` reaches this process
// twice (from the terminal and forwarded by npm).
let startedAt;
async function stop(signal) {
  if (startedAt !== undefined) {
    if (Date.now() - startedAt < 1000) return;
    log(40, `${signal} again: exiting without waiting`);
    process.exit(1);
  }
  startedAt = Date.now();
  const lifecycle = globalThis[LIFECYCLE];
  const graceMs = lifecycle?.graceMs ?? 10_000;
  lifecycle?.beginShutdown(signal);
  await sleep(lifecycle?.drainMs ?? 0);

  const closed = new Promise((resolve) => server.close(() => resolve(false)));
  // Keep-alive connections stay open after their response: close each as soon as it is idle.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const timedOut = await Promise.race([closed, sleep(Math.max(0, graceMs - (Date.now() - startedAt))).then(() => true)]);
  clearInterval(sweep);
  if (timedOut) server.closeAllConnections();
  await lifecycle?.finish({ timedOut, elapsedMs: Date.now() - startedAt });
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));

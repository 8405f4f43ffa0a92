#!/usr/bin/env node
// The process that accepts connections and hands each request to Next.
//
// Why not `next start`: Next fills X-Forwarded-For only when the client left it out, so inside
// the app a client can claim any address. This server is the one place that knows the TCP peer;
// it drops any client-sent PEER_HEADER and writes the real peer there, prefixed with a secret that
// exists only in this process (lib/access/client-identity.ts checks it, so a request that reached
// the app some other way is treated as coming from an unknown, untrusted client).
//
// Usage: node server.mjs [-p PORT] [-H HOSTNAME] [--dev]. PORT and HOSTNAME are also read from the
// environment (the only process.env reads outside lib/env.ts besides instrumentation's runtime check).
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { observeRequest } from "./lib/ops/access-log.mjs";

const PEER_HEADER = "x-inspector-peer";
const PEER_SECRET = Symbol.for("interaction-inspector.peer-secret");

function option(short, long) {
  const args = process.argv.slice(2);
  const index = args.findIndex((arg) => arg === short || arg === long);
  return index >= 0 ? args[index + 1] : undefined;
}

const dev = process.argv.includes("--dev");
const port = Number(option("-p", "--port") ?? process.env.PORT ?? 3000);
const hostname = option("-H", "--hostname") ?? process.env.HOSTNAME ?? "0.0.0.0";
const secret = randomBytes(24).toString("base64url");
globalThis[PEER_SECRET] = secret;

// The port is bound before Next is created: with `-p 0` the OS picks a free port (the end-to-end
// tests start every app that way), and Next must be told the real one, since it builds absolute
// URLs (redirects) from it and takes 0 to mean 3000. Requests that arrive while Next prepares wait.
let ready;
const handlerReady = new Promise((resolve) => (ready = resolve));

const server = createServer((request, response) => {
  delete request.headers[PEER_HEADER];
  // Next forwards a server action its page does not bundle to itself over HTTP, from 127.0.0.1,
  // with the original headers: such a request's peer says nothing about the client.
  const peer = request.headers["x-action-forwarded"] ? "forwarded" : (request.socket.remoteAddress ?? "");
  request.headers[PEER_HEADER] = `${secret} ${peer}`;
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

const app = next({ dev, dir: path.dirname(new URL(import.meta.url).pathname), hostname, port: boundPort });
await app.prepare();
ready(app.getRequestHandler());
// A launcher that asked for port 0 reads the real one from this line's `port`.
console.log(JSON.stringify({ level: 30, time: Date.now(), msg: `listening on http://${hostname}:${boundPort}`, port: boundPort, dev }));

// Let in-flight requests finish, then exit; a second signal exits at once.
let stopping = false;
function stop(signal) {
  if (stopping) process.exit(1);
  stopping = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
  console.log(JSON.stringify({ level: 30, time: Date.now(), msg: `${signal}: finishing in-flight requests, then exiting` }));
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

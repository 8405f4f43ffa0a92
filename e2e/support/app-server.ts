import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SERVER = path.join(ROOT, "server.mjs");

/** The key the e2e build and the fake upstream share; it must never reach a client. */
export const NEBULY_TEST_KEY = process.env.E2E_NEBULY_KEY ?? "e2e-canary-nebuly-key-7f3a9c1d5b";

/** Variables the app reads; a test names each one it wants, nothing leaks in from the shell. */
const APP_VARIABLES = [
  "NEBULY_API_KEY",
  "NEBULY_API_URL",
  "DATABASE_URL",
  "CACHE_TTL_SECONDS",
  "UPSTREAM_TIMEOUT_MS",
  "PORT",
  "LOG_LEVEL",
  "INSPECTOR_PASSWORD",
  "INSPECTOR_TRUSTED_USER_HEADER",
  "SESSION_SECRET",
  "SESSION_TTL_HOURS",
  "TRUST_PROXY",
  "PUBLIC_URL",
  "HOSTNAME",
];

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function tempDatabaseUrl(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `inspector-${label}-`));
  return `file:${path.join(dir, "inspector.db")}`;
}

export interface AppServer {
  url: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Stops the server; SIGKILL simulates a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function spawnNext(env: Record<string, string>, port: number) {
  // Every test shares one client address: a generous budget unless a test is about the budget.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", RATE_LIMIT_PER_MINUTE: "100000" };
  for (const name of APP_VARIABLES) delete childEnv[name];
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, [SERVER, "-p", String(port), "-H", env.HOSTNAME ?? "127.0.0.1"], {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Starts the production build (server.mjs, as `npm start` does) and waits until /api/health answers. */
export async function startApp(env: Record<string, string>): Promise<AppServer> {
  const port = await freePort();
  const { child, output } = spawnNext(env, port);
  const url = `http://${env.HOSTNAME ?? "127.0.0.1"}:${port}`;
  await waitForHealth(url, child, output);
  return { url, output, stop: (signal = "SIGTERM") => stopChild(child, signal) };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`app did not become healthy:\n${output()}`);
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/** Runs the server expecting it to refuse to start; returns its exit code and output. */
export async function startAppExpectingFailure(env: Record<string, string>) {
  const { child, output } = spawnNext(env, await freePort());
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  return { code, output: output() };
}

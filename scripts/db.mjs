// Runs scripts/db-commands.ts (db:prune, db:backup) with the app's own modules: esbuild bundles it
// (as bench/run.mjs does for its cache benchmark), then it runs on plain Node.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
// Inside the project so the bundle resolves better-sqlite3 from node_modules.
const outfile = path.join(ROOT, "node_modules/.cache/inspector-db/db-commands.mjs");

await build({
  entryPoints: [path.join(ROOT, "scripts/db-commands.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "error",
  external: ["better-sqlite3"],
  alias: { "server-only": path.join(ROOT, "test/server-only-stub.ts"), "@": ROOT },
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});

// The app reads .env.local through Next; so do these commands (values already set win).
const envFile = path.join(ROOT, ".env.local");
if (fs.existsSync(envFile)) process.loadEnvFile(envFile);

const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit", env: process.env });
process.exit(result.status ?? 1);

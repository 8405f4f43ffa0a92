// Runs scripts/db-commands.ts (db:prune, db:backup) with the app's own modules: esbuild bundles it
// (as bench/run.mjs does for its cache benchmark), then it runs on plain Node.
// `node scripts/db.mjs --bundle-to <file>` only bundles: scripts/assemble-standalone.sh puts the
// commands beside the standalone server (`node db.mjs backup <file>` in the image, which has no
// esbuild and no TypeScript).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
// Inside the project so the bundle resolves better-sqlite3 from node_modules.
const bundleOnly = process.argv[2] === "--bundle-to";
const outfile = bundleOnly ? path.resolve(process.argv[3]) : path.join(ROOT, "node_modules/.cache/inspector-db/db-commands.mjs");

await build({
  entryPoints: [path.join(ROOT, "scripts/db-commands.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "error",
  // pg-native: pg's optional native binding, never installed (pg runs in plain JavaScript).
  external: ["better-sqlite3", "pg-native"],
  alias: { "server-only": path.join(ROOT, "test/server-only-stub.ts"), "@": ROOT },
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});

if (bundleOnly) process.exit(0);

// The app reads .env.local through Next; so do these commands (values already set win).
const envFile = path.join(ROOT, ".env.local");
if (fs.existsSync(envFile)) process.loadEnvFile(envFile);

const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit", env: process.env });
process.exit(result.status ?? 1);

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
import { useWorkerEntry } from "@/lib/render/render-pool";

const ROOT = path.resolve(import.meta.dirname, "..");
let bundled: URL | undefined;

/**
 * Node cannot start the TypeScript worker entry, and Next's bundler is not there in unit tests:
 * bundle lib/render/markdown-worker.ts with esbuild (once per test process) and run that.
 */
export function bundledWorkerEntry(): URL {
  if (!bundled) {
    const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-worker-")), "markdown-worker.mjs");
    buildSync({
      entryPoints: [path.join(ROOT, "lib/render/markdown-worker.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      logLevel: "warning",
    });
    bundled = pathToFileURL(outfile);
  }
  return bundled;
}

/** Makes the process-wide renderer run the bundled worker. */
export function useBundledWorker(): void {
  useWorkerEntry(bundledWorkerEntry());
}

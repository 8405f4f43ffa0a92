import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; tests run the same modules in Node.
      "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts", "**/*.test.tsx"],
    // .stryker-tmp holds Stryker's sandbox copies of the tests while a mutation run is going.
    exclude: ["node_modules/**", ".next/**", "e2e/**", ".stryker-tmp/**"],
    environment: "node",
    // One Postgres server for the run: repository tests run against SQLite and Postgres (test/stores.ts).
    globalSetup: ["test/global-setup.ts"],
    // A mutation run (Stryker starts its test runners with STRYKER_MUTATOR_WORKER set) instruments
    // every statement, so the slowest tests (pathological Markdown, render workers) need longer there.
    testTimeout: process.env.STRYKER_MUTATOR_WORKER === undefined ? 5_000 : 60_000,
    hookTimeout: process.env.STRYKER_MUTATOR_WORKER === undefined ? 10_000 : 60_000,
  },
});

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
  },
});

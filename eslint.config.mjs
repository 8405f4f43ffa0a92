import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/**
 * Next's rules (React, hooks, accessibility, TypeScript) plus the layering rules AGENTS.md states,
 * so a violation fails `npm test` instead of waiting for review.
 */

const DB_AND_UPSTREAM = {
  patterns: [
    { group: ["@/db", "@/db/*"], message: "Pages and routes call a service in lib/; they never touch the database (AGENTS.md)." },
    { group: ["@/lib/nebuly/client", "@/lib/nebuly/client.*"], message: "Only lib/interactions talks to Nebuly (AGENTS.md)." },
  ],
};

const PROCESS_ENV = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: "Only lib/env.ts reads process.env (AGENTS.md): add the setting there.",
};

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", "node_modules/**", "test-results/**", "playwright-report/**", "reports/**", "next-env.d.ts", ".stryker-tmp/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "proxy.ts"],
    rules: { "no-restricted-imports": ["error", DB_AND_UPSTREAM] },
  },
  {
    files: ["app/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}", "db/**/*.ts", "proxy.ts"],
    ignores: ["lib/env.ts", "lib/env.test.ts", "**/*.test.ts"],
    rules: { "no-restricted-syntax": ["error", PROCESS_ENV] },
  },
];

export default config;

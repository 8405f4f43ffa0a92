import { defineConfig } from "drizzle-kit";

/** SQLite, the embedded store (`DATABASE_URL=file:…`). Postgres has its own: drizzle.postgres.config.ts. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./drizzle/sqlite",
});

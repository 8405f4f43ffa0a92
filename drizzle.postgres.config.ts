import { defineConfig } from "drizzle-kit";

/** Postgres, the shared store (`DATABASE_URL=postgres://…`): `npm run db:generate` generates both. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.postgres.ts",
  out: "./drizzle/postgres",
});

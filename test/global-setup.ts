import type { TestProject } from "vitest/node";
import { Client, Pool } from "pg";
import { migratePostgres } from "@/db/migrate-postgres";
import { startTestPostgres } from "./postgres-server";
import { TEMPLATE_DATABASE } from "./template";

declare module "vitest" {
  export interface ProvidedContext {
    /** An admin URL of the Postgres server the store tests use; "" when Postgres is skipped. */
    postgresAdminUrl: string;
  }
}

/**
 * Starts one Postgres server for the whole unit run (each test file makes its own databases on
 * it, see test/stores.ts), or uses TEST_DATABASE_URL's server. TEST_STORES=sqlite skips Postgres.
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_STORES === "sqlite") {
    project.provide("postgresAdminUrl", "");
    return;
  }
  if (process.env.TEST_DATABASE_URL) {
    await prepareTemplate(process.env.TEST_DATABASE_URL);
    project.provide("postgresAdminUrl", process.env.TEST_DATABASE_URL);
    return;
  }
  const postgres = await startTestPostgres();
  await prepareTemplate(postgres.adminUrl);
  project.provide("postgresAdminUrl", postgres.adminUrl);
  return () => postgres.stop();
}


async function prepareTemplate(adminUrl: string) {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${TEMPLATE_DATABASE}`;
  const pool = new Pool({ connectionString: url.toString(), max: 1 });
  try {
    await migratePostgres(pool, "drizzle/postgres");
  } finally {
    await pool.end();
  }
}

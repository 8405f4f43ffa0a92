import "server-only";
import { getDb } from "@/db/client";
import { env, EnvError, isDemoMode } from "@/lib/env";
import { logger } from "@/lib/logger";

export function startServer(): void {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Interaction Inspector cannot start. ${error.message}\nSee .env.example for every setting.`);
      process.exit(1);
    }
    throw error;
  }
  try {
    getDb();
  } catch (error) {
    logger().fatal({ err: error, databaseUrl: env().DATABASE_URL }, "cannot open the database");
    process.exit(1);
  }
  if (isDemoMode()) {
    logger().info("NEBULY_API_KEY is not set: serving the bundled demo data (demo mode)");
  } else {
    logger().info({ upstream: new URL(env().NEBULY_API_URL).host }, "live mode: fetching from Nebuly");
  }
}

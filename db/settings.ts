import { eq } from "drizzle-orm";
import type { Store } from "./client";
import { appSettings as sqliteSettings } from "./schema";
import { appSettings as postgresSettings } from "./schema.postgres";

/**
 * A value the instance generates for itself once (the session secret): the first process to ask
 * stores `make()`, and every process, on any replica, reads that same value back.
 */
export async function generatedSetting(store: Store, key: string, make: () => string): Promise<string> {
  if (store.dialect === "sqlite") {
    store.db.insert(sqliteSettings).values({ key, value: make() }).onConflictDoNothing().run();
    return store.db.select().from(sqliteSettings).where(eq(sqliteSettings.key, key)).get()!.value;
  }
  await store.db.insert(postgresSettings).values({ key, value: make() }).onConflictDoNothing();
  const [row] = await store.db.select().from(postgresSettings).where(eq(postgresSettings.key, key));
  return row!.value;
}

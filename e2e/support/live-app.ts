import { NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "./app-server";
import { FakeNebuly } from "./fake-nebuly";

export interface LiveApp {
  nebuly: FakeNebuly;
  app: AppServer;
  stop(): Promise<void>;
}

/** A fake Nebuly serving `bodies`, and the built app in live mode against it with a fresh database. */
export async function startLiveApp(label: string, bodies: { id: string }[], env: Record<string, string> = {}): Promise<LiveApp> {
  const nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  for (const body of bodies) nebuly.script(body.id, [{ body }]);
  const app = await startApp({
    NEBULY_API_KEY: NEBULY_TEST_KEY,
    NEBULY_API_URL: nebuly.url,
    DATABASE_URL: tempDatabaseUrl(label),
    UPSTREAM_TIMEOUT_MS: "1000",
    ...env,
  });
  return {
    nebuly,
    app,
    async stop() {
      await app.stop();
      await nebuly.stop();
    },
  };
}

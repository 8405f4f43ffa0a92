import net from "node:net";
import { afterAll, describe, expect, inject, it } from "vitest";
import { toAppError } from "@/lib/errors";
import { freePort } from "@/test/postgres-server";
import { newPostgresDatabase } from "@/test/stores";
import { closeStore, openStore, type Store } from "./client";

/*
 * Attack / failure: the Postgres pool has a connect timeout (3 s) but no query timeout, no
 * statement_timeout and no TCP keepalive. When the network to Postgres goes silent (a partition,
 * a failover behind NAT or a load balancer that drops state, a Postgres backend stuck on a lock)
 * a query sent on an already open pooled connection waits for an answer forever: the request
 * never ends, and its connection never goes back to the pool. Once DATABASE_POOL_MAX requests
 * are parked like that the replica answers 503 to everyone until the kernel gives up on the
 * sockets (about 15 minutes) or forever, while /api/health keeps answering 200.
 *
 * A proxy between the pool and Postgres plays the silent network: it stops passing bytes.
 */
describe.skipIf(!inject("postgresAdminUrl"))("a query on a pooled connection when the network to Postgres goes silent", () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  });

  async function silentableProxy(target: URL): Promise<{ port: number; silence(): void }> {
    let silent = false;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(client).add(upstream);
      client.on("data", (chunk) => void (silent || upstream.write(chunk)));
      upstream.on("data", (chunk) => void (silent || client.write(chunk)));
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("error", end).on("close", end);
      upstream.on("error", end).on("close", end);
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    return { port, silence: () => void (silent = true) };
  }

  it("gives up within a few seconds (storage_unavailable) instead of waiting forever", async () => {
    const direct = new URL(await newPostgresDatabase());
    const proxy = await silentableProxy(direct);
    const viaProxy = new URL(direct);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const store: Store = await openStore(viaProxy.toString(), { poolMax: 2 });
    closers.push(async () => {
      // A parked query would keep end() waiting too: do not wait for it.
      void closeStore(store).catch(() => undefined);
    });
    if (store.dialect !== "postgres") throw new Error("expected Postgres");
    // A warm pool, as a serving replica has.
    await store.db.$client.query("select 1");
    proxy.silence();
    const started = Date.now();
    const outcome = await Promise.race([
      store.db.$client.query("select 1").then(
        () => "answered",
        (error: unknown) => toAppError(error).code,
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve("still waiting after 15 s"), 15_000)),
    ]);
    expect({ outcome, withinSeconds: Math.round((Date.now() - started) / 1000) <= 10 }).toEqual({ outcome: "storage_unavailable", withinSeconds: true });
  }, 30_000);
});

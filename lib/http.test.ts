import { afterEach, describe, expect, it, vi } from "vitest";

const PEER_SECRET = Symbol.for("interaction-inspector.peer-secret");
const LISTENING_PORT = Symbol.for("interaction-inspector.listening-port");
const SECRET = "test-peer-secret-0123456789";
const holder = globalThis as Record<symbol, unknown>;

/** lib/http as a fresh process with these settings would see it (configuration is read once). */
async function httpWith(settings: Record<string, string>) {
  vi.resetModules();
  for (const name of ["PUBLIC_URL", "TRUST_PROXY", "PORT"]) vi.stubEnv(name, settings[name] ?? "");
  delete (globalThis as { __inspectorAccess?: unknown }).__inspectorAccess;
  return import("./http");
}

/** A request as server.mjs hands it on: the TCP peer marked with the process's secret. */
function fromPeer(peer: string, headers: Record<string, string> = {}): Headers {
  return new Headers({ ...headers, "x-inspector-peer": `${SECRET} ${peer}` });
}

describe("publicOrigin and isHttps", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    delete holder[PEER_SECRET];
    delete holder[LISTENING_PORT];
    delete (globalThis as { __inspectorAccess?: unknown }).__inspectorAccess;
  });

  it("uses PUBLIC_URL when set, whatever the request says", async () => {
    holder[PEER_SECRET] = SECRET;
    const http = await httpWith({ PUBLIC_URL: "https://inspector.example.com/" });
    const headers = fromPeer("203.0.113.9", { host: "evil.example", "x-forwarded-proto": "http" });
    expect(http.publicOrigin(headers)).toBe("https://inspector.example.com");
    expect(http.isHttps(headers)).toBe(true);
    expect((await httpWith({ PUBLIC_URL: "http://inspector.internal:8080" })).isHttps(headers)).toBe(false);
  });

  it("otherwise uses the Host the client asked for, and https only on a trusted proxy's word", async () => {
    holder[PEER_SECRET] = SECRET;
    const open = await httpWith({});
    const forged = fromPeer("203.0.113.9", { host: "inspector.local:3000", "x-forwarded-proto": "https", "x-forwarded-host": "evil.example" });
    expect(open.publicOrigin(forged)).toBe("http://inspector.local:3000");
    expect(open.isHttps(forged)).toBe(false);

    const behindProxy = await httpWith({ TRUST_PROXY: "10.0.0.1" });
    const vouched = fromPeer("10.0.0.1", { host: "10.0.0.2:3000", "x-forwarded-proto": "https", "x-forwarded-host": "inspector.example.com" });
    expect(behindProxy.publicOrigin(vouched)).toBe("https://inspector.example.com");
    expect(behindProxy.isHttps(vouched)).toBe(true);
  });

  it("with no usable Host, names this machine on the port the server actually bound, not PORT", async () => {
    holder[PEER_SECRET] = SECRET;
    holder[LISTENING_PORT] = 41234;
    const http = await httpWith({ PORT: "3000" });
    expect(http.publicOrigin(fromPeer("203.0.113.9"))).toBe("http://localhost:41234");
    // A Host that is not a host name (a path, a script, a second origin) is not put in a link either.
    for (const host of ["evil.example/x", "<script>", "a b", "evil.example:3000:1", "[::1"]) {
      expect(http.publicOrigin(fromPeer("203.0.113.9", { host })), host).toBe("http://localhost:41234");
    }
  });

  it("falls back to PORT when the app was not started by server.mjs", async () => {
    const http = await httpWith({ PORT: "8080" });
    expect(http.publicOrigin(new Headers())).toBe("http://localhost:8080");
  });
});

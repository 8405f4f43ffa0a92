import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addressKey, clientIdentity, compileTrust, isResentByServer, PEER_HEADER } from "./client-identity";

const SECRET_KEY = Symbol.for("interaction-inspector.peer-secret");
const SECRET = "test-peer-secret-0123456789";
const holder = globalThis as Record<symbol, unknown>;

// Every test runs with the process's peer secret set, as the server sets it at start; a test that
// deletes it gets it back for the next one.
beforeEach(() => {
  holder[SECRET_KEY] = SECRET;
});
afterEach(() => {
  delete holder[SECRET_KEY];
});

function request(peer: string | null, headers: Record<string, string> = {}) {
  const all = new Headers(headers);
  if (peer !== null) all.set(PEER_HEADER, `${SECRET} ${peer}`);
  return all;
}

describe("clientIdentity", () => {
  it("is the TCP peer, whatever X-Forwarded-* say, when no proxy is trusted", () => {
    const identity = clientIdentity(request("203.0.113.9", { "x-forwarded-for": "198.51.100.1", "x-forwarded-proto": "https", "x-forwarded-host": "evil.example", host: "inspector.local" }), compileTrust(undefined));
    expect(identity).toMatchObject({ address: "203.0.113.9", peerTrusted: false, proto: "http", host: "inspector.local" });
  });

  it("with a trusted proxy, is the right-most address the proxy did not vouch for", () => {
    const trust = compileTrust("10.0.0.1");
    const identity = clientIdentity(request("10.0.0.1", { "x-forwarded-for": "6.6.6.6, 198.51.100.7", "x-forwarded-proto": "https", "x-forwarded-host": "inspector.example" }), trust);
    // 6.6.6.6 was written by the client itself: only the address the proxy saw counts.
    expect(identity).toMatchObject({ address: "198.51.100.7", peerTrusted: true, proto: "https", host: "inspector.example" });
  });

  it("a forged extra hop gives no new identity", () => {
    const trust = compileTrust("10.0.0.1");
    const a = clientIdentity(request("10.0.0.1", { "x-forwarded-for": "198.51.100.7" }), trust);
    const b = clientIdentity(request("10.0.0.1", { "x-forwarded-for": "1.2.3.4, 198.51.100.7" }), trust);
    expect(b.address).toBe(a.address);
  });

  it("counts hops when TRUST_PROXY is a number", () => {
    const trust = compileTrust("2");
    const identity = clientIdentity(request("10.0.0.2", { "x-forwarded-for": "7.7.7.7, 198.51.100.7, 10.0.0.1" }), trust);
    expect(identity.address).toBe("198.51.100.7");
  });

  it("ignores forwarded headers from a peer outside the trusted list", () => {
    const identity = clientIdentity(request("127.0.0.5", { "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https" }), compileTrust("127.0.0.1"));
    expect(identity).toMatchObject({ address: "127.0.0.5", peerTrusted: false, mayCarryUserHeader: false, proto: "http" });
  });

  it("lets only loopback peers carry the SSO user header when no proxy is configured", () => {
    const none = compileTrust(undefined);
    expect(clientIdentity(request("127.0.0.1"), none).mayCarryUserHeader).toBe(true);
    expect(clientIdentity(request("::1"), none).mayCarryUserHeader).toBe(true);
    expect(clientIdentity(request("::ffff:127.0.0.1"), none).mayCarryUserHeader).toBe(true);
    expect(clientIdentity(request("127.0.0.5"), none).mayCarryUserHeader).toBe(false);
    expect(clientIdentity(request("192.168.1.20"), none).mayCarryUserHeader).toBe(false);
  });

  it("reads the first value of a forwarded list, with the spaces HTTP allows around commas", () => {
    const identity = clientIdentity(request("10.0.0.1", { "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https , http", "x-forwarded-host": "inspector.example , proxy.internal" }), compileTrust("10.0.0.1"));
    expect(identity).toMatchObject({ proto: "https", host: "inspector.example" });
  });

  it("a request without a peer mark is one unknown client: no proxy, no https, only its Host", () => {
    expect(clientIdentity(new Headers({ host: "inspector.local", "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.7" }), compileTrust("1"))).toEqual({
      address: "unknown",
      peer: null,
      peerTrusted: false,
      mayCarryUserHeader: false,
      proto: "http",
      host: "inspector.local",
    });
  });

  it("a forged mark as long as the real secret is refused too", () => {
    const sameLength = "x".repeat(SECRET.length);
    const forged = new Headers({ [PEER_HEADER]: `${sameLength} 127.0.0.1` });
    expect(clientIdentity(forged, compileTrust("1"))).toMatchObject({ address: "unknown", peer: null, mayCarryUserHeader: false });
  });

  it("treats a missing or forged peer mark as an unknown, untrusted client", () => {
    const forged = new Headers({ [PEER_HEADER]: "guess 127.0.0.1", "x-forwarded-for": "127.0.0.1" });
    expect(clientIdentity(forged, compileTrust("1"))).toMatchObject({ address: "unknown", peer: null, peerTrusted: false, mayCarryUserHeader: false });
    delete holder[SECRET_KEY];
    expect(clientIdentity(request("127.0.0.1"), compileTrust("1"))).toMatchObject({ address: "unknown", mayCarryUserHeader: false });
  });
});

describe("compileTrust", () => {
  it("reads a number of hops of any size, spaces around it aside", () => {
    const ten = compileTrust("10");
    expect(ten("203.0.113.1", 9)).toBe(true);
    expect(ten("203.0.113.1", 10)).toBe(false);
    const two = compileTrust(" 2 ");
    expect(two("203.0.113.1", 1)).toBe(true);
    expect(two("203.0.113.1", 2)).toBe(false);
  });

  it("reads a comma list of addresses and CIDRs, spaces after the commas included", () => {
    const trust = compileTrust("10.0.0.0/8, 127.0.0.1");
    expect(trust("10.1.2.3", 0)).toBe(true);
    expect(trust("127.0.0.1", 0)).toBe(true);
    expect(trust("127.0.0.2", 0)).toBe(false);
    expect(trust("192.168.0.1", 0)).toBe(false);
  });

  it("trusts nobody when unset", () => {
    expect(compileTrust(undefined)("127.0.0.1", 0)).toBe(false);
    expect(compileTrust("")("127.0.0.1", 0)).toBe(false);
  });
});

describe("peers that cannot vouch for a person", () => {
  it("treats Next's own re-post of a server action as an unknown client, though it comes from 127.0.0.1", () => {
    expect(clientIdentity(request("forwarded", { "x-forwarded-for": "127.0.0.1" }), compileTrust("127.0.0.1"))).toMatchObject({
      address: "unknown",
      peerTrusted: false,
      mayCarryUserHeader: false,
    });
  });

  it("a hop count vouches for forwarded addresses but not for the user header from a remote peer", () => {
    const identity = clientIdentity(request("203.0.113.9", { "x-forwarded-for": "198.51.100.1" }), compileTrust("1"));
    expect(identity).toMatchObject({ address: "198.51.100.1", peerTrusted: true, mayCarryUserHeader: false });
    expect(clientIdentity(request("10.0.0.2"), compileTrust("10.0.0.0/8")).mayCarryUserHeader).toBe(true);
  });
});

describe("addressKey", () => {
  it("keys an IPv6 client by its /64 written out, and IPv4 as it is", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
  });

  it("keeps a peer that is not an IP address as a key of at most 64 characters", () => {
    expect(addressKey("unix-socket")).toBe("unix-socket");
    expect(addressKey("x".repeat(500))).toBe("x".repeat(64));
  });

  it("keys IPv4-mapped IPv6 as IPv4 and IPv6 by its /64", () => {
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe(addressKey("2001:db8:1:2:bbbb::2"));
    expect(addressKey("2001:db8:1:2::1")).not.toBe(addressKey("2001:db8:1:3::1"));
  });
});

describe("isResentByServer", () => {
  it("believes only the process's own secret, never a client's claim", () => {
    expect(isResentByServer(new Headers({ "x-inspector-resent": SECRET }))).toBe(true);
    expect(isResentByServer(new Headers({ "x-inspector-resent": `${SECRET}x` }))).toBe(false);
    expect(isResentByServer(new Headers({ "x-inspector-resent": "1" }))).toBe(false);
    expect(isResentByServer(new Headers({ "x-action-forwarded": "1" }))).toBe(false);
    expect(isResentByServer(new Headers())).toBe(false);
  });
});

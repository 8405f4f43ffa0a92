import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";

/**
 * Who is at the other end of a request. Everything a request carries is chosen by the client,
 * X-Forwarded-* included; only the TCP peer address is not. server.mjs (the process that accepts
 * connections) writes the peer into PEER_HEADER, prefixed with a secret that exists only in this
 * process, after dropping any value the client sent. Without that mark (the app started some
 * other way) the peer is unknown: nothing is trusted and every such request shares one budget.
 */

export const PEER_HEADER = "x-inspector-peer";
const PEER_SECRET = Symbol.for("interaction-inspector.peer-secret");

/** The secret server.mjs generated at start, or undefined when the app was not started by it. */
function peerSecret(): string | undefined {
  return (globalThis as Record<symbol, unknown>)[PEER_SECRET] as string | undefined;
}

export type TrustFunction = ((address: string, hop: number) => boolean) & { byHops?: boolean };

/**
 * TRUST_PROXY compiled: a number of hops trusts that many proxies in front of the app whatever
 * their address; a list trusts peers in those addresses and CIDRs. Unset trusts nobody.
 */
export function compileTrust(value: string | undefined): TrustFunction {
  if (!value) return () => false;
  if (/^\d+$/.test(value.trim())) {
    const hops = Number(value);
    return Object.assign((_address: string, hop: number) => hop < hops, { byHops: true });
  }
  const compiled = proxyaddr.compile(value.split(",").map((entry) => entry.trim()));
  return (address, hop) => compiled(address, hop);
}

export interface ClientIdentity {
  /** The client's address: the right-most address not vouched for by a trusted proxy. "unknown" without a peer. */
  address: string;
  /** The TCP peer, or null when the request did not come through server.mjs. */
  peer: string | null;
  /** Whether the peer is a trusted proxy (so its X-Forwarded-* headers count). */
  peerTrusted: boolean;
  /** Whether a trusted single sign-on proxy may have set the user header on this request. */
  mayCarryUserHeader: boolean;
  /** The scheme the client used: X-Forwarded-Proto from a trusted peer, else the connection's. */
  proto: "http" | "https";
  /** The host the client asked for: X-Forwarded-Host from a trusted peer, else Host. */
  host: string | null;
}

const LOOPBACK_PEERS = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** The address as one stable key: IPv4-mapped IPv6 as IPv4, and IPv6 by its /64 (one subscriber's block). */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address.slice(0, 64);
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(":")}::/64`;
}

function firstValue(header: string | null): string | null {
  const value = header?.split(",")[0]?.trim();
  return value ? value : null;
}

export function clientIdentity(headers: Headers, trust: TrustFunction): ClientIdentity {
  const peer = peerOf(headers.get(PEER_HEADER));
  // "forwarded": Next's own re-post of a server action (see server.mjs); the real client is unknown.
  if (!peer || peer === "forwarded") {
    return { address: "unknown", peer: null, peerTrusted: false, mayCarryUserHeader: false, proto: "http", host: headers.get("host") };
  }
  const forwardedFor = headers.get("x-forwarded-for") ?? undefined;
  const fakeRequest = { socket: { remoteAddress: peer }, connection: { remoteAddress: peer }, headers: { "x-forwarded-for": forwardedFor } };
  const peerTrusted = trust(peer, 0);
  const address = peerTrusted ? proxyaddr(fakeRequest as never, trust) : peer;
  const proto = peerTrusted ? firstValue(headers.get("x-forwarded-proto")) : null;
  return {
    address: addressKey(address),
    peer,
    peerTrusted,
    // With no proxy configured, only a proxy on this machine may set the user header. A hop count
    // vouches for forwarded addresses, not for a person: the user header then also needs a
    // loopback peer or one TRUST_PROXY names by address.
    mayCarryUserHeader: LOOPBACK_PEERS.has(peer) || (peerTrusted && !trust.byHops),
    proto: proto === "https" ? "https" : "http",
    host: (peerTrusted ? firstValue(headers.get("x-forwarded-host")) : null) ?? headers.get("host"),
  };
}

/** The peer address from server.mjs's mark, or null when the mark is missing or forged. */
/** Set by server.mjs, to its secret, on a request it re-sent to itself (see there). */
const RESENT_HEADER = "x-inspector-resent";

/**
 * Whether this request is one Next re-sent to itself (a server action forwarded to the page that
 * owns it): its original passed every check already, and Next re-sends its body without a length.
 */
export function isResentByServer(headers: Headers): boolean {
  const secret = peerSecret();
  const given = headers.get(RESENT_HEADER);
  return Boolean(secret && given && given.length === secret.length && given === secret);
}

function peerOf(mark: string | null): string | null {
  const secret = peerSecret();
  if (!secret || !mark) return null;
  const space = mark.indexOf(" ");
  if (space < 0) return null;
  const given = mark.slice(0, space);
  // Length first: the secret's length is not itself secret, and timing here is not exploitable
  // beyond it (the value never leaves the process).
  if (given.length !== secret.length || given !== secret) return null;
  const address = mark.slice(space + 1).trim();
  return address ? address : null;
}

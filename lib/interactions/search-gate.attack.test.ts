import { describe, expect, it } from "vitest";
import { addressKey } from "@/lib/access/client-identity";
import { createSearchGate, searchClientKey } from "./search-gate";

/*
 * Attacks on the per-process search gate (search-gate.ts), with the options lib/interactions
 * gives it on Postgres with the default DATABASE_POOL_MAX of 10: 2 running, 16 waiting, 2 s wait.
 * Clients are keyed as the page keys them (lib/access identify → addressKey, then
 * searchClientKey: IPv6 by its /56).
 */

/** A search that holds its place until the test ends it (a costly search runs its full 1 s budget). */
function pending() {
  let finish!: () => void;
  const done = new Promise<string>((resolve) => (finish = () => resolve("answered")));
  return { search: () => done, finish };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("the search gate against one subscriber with many addresses", () => {
  it("one home connection's IPv6 /56 (256 /64s, what many ISPs hand out) cannot turn every other viewer's search away", async () => {
    const gate = createSearchGate({ running: 2, waitMs: 2_000, waiting: 16 });
    // Nine /64s of 2001:db8:aa:ff00::/56: all one subscriber, nine "clients" to the gate.
    const attacker = Array.from({ length: 9 }, (_, k) => searchClientKey(addressKey(`2001:db8:aa:ff${k.toString(16).padStart(2, "0")}::1`)));
    const held = Array.from({ length: 18 }, () => pending());
    const runs = held.map((search, k) => gate.run(attacker[k % 9]!, search.search));
    await flush();
    // An ordinary viewer elsewhere types an ordinary word.
    const bystander = await gate.run(searchClientKey(addressKey("198.51.100.7")), () => Promise.resolve("results"));
    held.forEach((search) => search.finish());
    await Promise.all(runs);
    // README "A search costs a bounded share of the database": one client gets one search at a time.
    // Here one subscriber held both running places and all 16 waiting ones, and the bystander was
    // turned away at once ("Too many searches are running on this inspector right now").
    expect(bystander, "the bystander's search was turned away by one subscriber's 18 searches").toEqual({ ran: true, value: "results" });
  });
});

describe("the search gate for colleagues behind one office address", () => {
  it("a third colleague's ordinary search waits its turn instead of being told the inspector is busy", async () => {
    const gate = createSearchGate({ running: 2, waitMs: 2_000, waiting: 16 });
    // One office NAT (or one VPN egress, or one proxy address without TRUST_PROXY): one client key.
    const office = searchClientKey(addressKey("203.0.113.10"));
    // Three people search at the same moment; an ordinary search takes ~100 ms (a common word on 30,000 rows).
    const ordinary = () => new Promise<string>((resolve) => setTimeout(() => resolve("results"), 100));
    const outcomes = await Promise.all([gate.run(office, ordinary), gate.run(office, ordinary), gate.run(office, ordinary)]);
    // Nothing else runs: the gate has a free running place and 16 free waiting ones, yet the third
    // is refused at once ("Too many searches are running on this inspector right now").
    expect(outcomes.map((outcome) => outcome.ran), "the third colleague was turned away with the gate otherwise idle").toEqual([true, true, true]);
  });
});

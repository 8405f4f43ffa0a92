import { afterEach, describe, expect, it, vi } from "vitest";
import { createSearchGate, searchClientKey } from "./search-gate";

/** A search that ends when the test says so. */
function pending() {
  let finish!: () => void;
  const done = new Promise<string>((resolve) => (finish = () => resolve("answered")));
  return { search: () => done, finish };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("the search gate", () => {
  afterEach(() => vi.useRealTimers());

  it("runs at most `running` searches at once; the next starts when one ends", async () => {
    const gate = createSearchGate({ running: 2, waitMs: 5_000, waiting: 10 });
    const [a, b, c] = [pending(), pending(), pending()];
    const started: string[] = [];
    const track = (name: string, work: () => Promise<string>) => () => (started.push(name), work());
    const runs = [gate.run("10.0.0.1", track("a", a.search)), gate.run("10.0.0.2", track("b", b.search)), gate.run("10.0.0.3", track("c", c.search))];
    await flush();
    expect(started).toEqual(["a", "b"]);
    a.finish();
    await flush();
    expect(started).toEqual(["a", "b", "c"]);
    b.finish();
    c.finish();
    expect(await Promise.all(runs)).toEqual([0, 1, 2].map(() => ({ ran: true, value: "answered" })));
  });

  it("runs one search per client at a time, keeps three more waiting, and turns the rest of a flood away at once", async () => {
    const gate = createSearchGate({ running: 4, waitMs: 5_000, waiting: 10 });
    const held = Array.from({ length: 4 }, () => pending());
    const kept = held.map((search) => gate.run("attacker", search.search));
    const flood = await Promise.all(Array.from({ length: 6 }, () => gate.run("attacker", () => Promise.resolve("x"))));
    expect(flood.every((outcome) => !outcome.ran)).toBe(true);
    // Someone else is not held up by the attacker's queue.
    expect(await gate.run("bystander", () => Promise.resolve("mine"))).toEqual({ ran: true, value: "mine" });
    held.forEach((search) => search.finish());
    expect(await Promise.all(kept)).toEqual(held.map(() => ({ ran: true, value: "answered" })));
  });

  it("with every waiting place taken, the client waiting most gives one up for a newcomer", async () => {
    const gate = createSearchGate({ running: 1, waitMs: 5_000, waiting: 4 });
    const blocker = pending();
    const running = gate.run("someone", blocker.search);
    const crowd = Array.from({ length: 3 }, () => gate.run("crowd", () => Promise.resolve("crowd")));
    const other = gate.run("other", () => Promise.resolve("other"));
    const newcomer = gate.run("newcomer", () => Promise.resolve("newcomer"));
    blocker.finish();
    await running;
    expect(await newcomer).toEqual({ ran: true, value: "newcomer" });
    expect(await other).toEqual({ ran: true, value: "other" });
    expect((await Promise.all(crowd)).map((outcome) => outcome.ran)).toEqual([true, true, false]);
  });

  it("counts an IPv6 subscriber's /56 as one client, and leaves IPv4 and unknown keys as they are", () => {
    expect(searchClientKey("2001:db8:aa:ff07::/64")).toBe("2001:db8:aa:ff00::/56");
    expect(searchClientKey("2001:db8:aa:ff80::/64")).toBe("2001:db8:aa:ff00::/56");
    expect(searchClientKey("2001:db8:aa:ee00::/64")).toBe("2001:db8:aa:ee00::/56");
    expect(searchClientKey("203.0.113.10")).toBe("203.0.113.10");
    expect(searchClientKey("unknown")).toBe("unknown");
  });

  it("turns a search away when its turn does not come within waitMs, and forgets it", async () => {
    vi.useFakeTimers();
    const gate = createSearchGate({ running: 1, waitMs: 2_000, waiting: 10 });
    const slow = pending();
    const running = gate.run("a", slow.search);
    const late = gate.run("b", () => Promise.resolve("late"));
    await vi.advanceTimersByTimeAsync(2_001);
    expect(await late).toEqual({ ran: false });
    slow.finish();
    await running;
    // The timed-out waiter left nothing behind: b runs at once now.
    expect(await gate.run("b", () => Promise.resolve("now"))).toEqual({ ran: true, value: "now" });
  });

  it("turns a search away at once when `waiting` searches already wait", async () => {
    const gate = createSearchGate({ running: 1, waitMs: 5_000, waiting: 2 });
    const slow = pending();
    const running = gate.run("a", slow.search);
    const queued = [gate.run("b", () => Promise.resolve("b")), gate.run("c", () => Promise.resolve("c"))];
    expect(await gate.run("d", () => Promise.resolve("d"))).toEqual({ ran: false });
    slow.finish();
    await running;
    expect(await Promise.all(queued)).toEqual([
      { ran: true, value: "b" },
      { ran: true, value: "c" },
    ]);
  });

  it("frees the place of a search that fails", async () => {
    const gate = createSearchGate({ running: 1, waitMs: 5_000, waiting: 10 });
    await expect(gate.run("a", () => Promise.reject(new Error("store lost")))).rejects.toThrow("store lost");
    expect(await gate.run("a", () => Promise.resolve("fine"))).toEqual({ ran: true, value: "fine" });
  });
});

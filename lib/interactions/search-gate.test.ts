import { afterEach, describe, expect, it, vi } from "vitest";
import { createSearchGate } from "./search-gate";

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

  it("runs one search per client at a time, keeps one more waiting, and turns a flood away at once", async () => {
    const gate = createSearchGate({ running: 4, waitMs: 5_000, waiting: 10 });
    const first = pending();
    const second = pending();
    const running = gate.run("attacker", first.search);
    const waiting = gate.run("attacker", second.search);
    const flood = await Promise.all(Array.from({ length: 6 }, () => gate.run("attacker", () => Promise.resolve("x"))));
    expect(flood.every((outcome) => !outcome.ran)).toBe(true);
    // Someone else is not held up by the attacker's queue.
    expect(await gate.run("bystander", () => Promise.resolve("mine"))).toEqual({ ran: true, value: "mine" });
    first.finish();
    second.finish();
    expect(await running).toEqual({ ran: true, value: "answered" });
    expect(await waiting).toEqual({ ran: true, value: "answered" });
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

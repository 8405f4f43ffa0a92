import { describe, expect, it } from "vitest";
import { BoundedCache } from "./bounded-cache";

describe("BoundedCache", () => {
  it("evicts the least recently used entries past its entry limit", () => {
    const cache = new BoundedCache<number>({ maxEntries: 2, maxWeight: 100 });
    cache.set("a", 1, 1);
    cache.set("b", 2, 1);
    cache.get("a");
    cache.set("c", 3, 1);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });

  it("keeps the total weight under its limit and refuses an entry heavier than the limit", () => {
    const cache = new BoundedCache<string>({ maxEntries: 100, maxWeight: 10 });
    cache.set("a", "a", 6);
    cache.set("b", "b", 6);
    expect([cache.get("a"), cache.get("b"), cache.weight]).toEqual([undefined, "b", 6]);
    cache.set("huge", "x", 11);
    expect([cache.get("huge"), cache.size]).toEqual([undefined, 1]);
  });
});

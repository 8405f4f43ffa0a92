import { describe, expect, it } from "vitest";
import { localDay, showsDate, utcDay } from "./turn-dates";

describe("showsDate", () => {
  it("shows the date on the first timed turn and where the day changes, else the time only", () => {
    expect(showsDate(["2026-11-20", "2026-11-20", "2026-11-21", "2026-11-21", "2026-11-20"])).toEqual([true, false, true, false, true]);
  });

  it("skips turns without a time: the next timed turn compares with the last one that had a time", () => {
    expect(showsDate([null, "2026-11-20", null, "2026-11-20", null, "2026-11-22"])).toEqual([false, true, false, false, false, true]);
  });

  it("has nothing to show for no turns", () => {
    expect(showsDate([])).toEqual([]);
  });
});

describe("days", () => {
  it("a UTC day is the ISO date", () => {
    expect(utcDay(new Date("2026-11-20T23:59:59Z"))).toBe("2026-11-20");
    expect(utcDay(new Date("2026-11-21T00:00:00Z"))).toBe("2026-11-21");
  });

  it("a local day follows the runtime's zone", () => {
    const date = new Date(2026, 10, 20, 23, 59);
    expect(localDay(date)).toBe("2026-11-20");
    expect(localDay(new Date(2026, 10, 21, 0, 1))).not.toBe(localDay(date));
  });
});

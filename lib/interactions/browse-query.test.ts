import { describe, expect, it } from "vitest";
import { browseCacheKey, browseSearchParams, parseBrowseQuery, toListRequest } from "./browse-query";

const NOW = new Date("2026-11-26T10:00:30Z");
const parse = (query: string) => parseBrowseQuery(new URLSearchParams(query), NOW);
const error = (query: string) => {
  try {
    parse(query);
  } catch (caught) {
    return caught as { code: string; message: string };
  }
  throw new Error(`${query} was accepted`);
};

describe("parseBrowseQuery", () => {
  it("defaults to the last 7 days, 25 rows, no filters", () => {
    const query = parse("");
    expect(query.to.toISOString()).toBe("2026-11-26T10:01:00.000Z");
    expect(query.from.toISOString()).toBe("2026-11-19T10:01:00.000Z");
    expect(query).toMatchObject({ limit: 25, offset: 0, filters: [] });
  });

  it.each([
    ["from=2026-11-20&to=2026-11-21", "2026-11-20T00:00:00.000Z", "2026-11-21T23:59:59.999Z"],
    ["from=2026-11-20T10:00:00Z&to=2026-11-20T12:00:00%2B02:00", "2026-11-20T10:00:00.000Z", "2026-11-20T10:00:00.000Z"],
    ["from=2026-11-20T10:00", "2026-11-20T10:00:00.000Z", "2026-11-26T10:01:00.000Z"],
    ["range=24h", "2026-11-25T10:01:00.000Z", "2026-11-26T10:01:00.000Z"],
    ["range=30d", "2026-10-27T10:01:00.000Z", "2026-11-26T10:01:00.000Z"],
  ])("reads the time range in %s", (query, from, to) => {
    const parsed = parse(query);
    expect([parsed.from.toISOString(), parsed.to.toISOString()]).toEqual([from, to]);
  });

  it("collects repeatable filters, ORs their values, and reads tag.{name}", () => {
    const parsed = parse("user=a&user=b&topic=Billing&tag.plan=pro&keyword=%20refund%20&user=a");
    expect(toListRequest(parsed).filters).toEqual([
      { kind: "keyword", values: ["refund"] },
      { kind: "tag", tag: "plan", values: ["pro"] },
      { kind: "topic", values: ["Billing"] },
      { kind: "user", values: ["a", "b"] },
    ]);
  });

  it.each([
    "user_intent",
    "negative_user_intent",
    "user_feedback",
    "type_of_problem",
    "user_query",
  ])("accepts the %s filter", (kind) => {
    expect(parse(`${kind}=x`).filters).toEqual([{ kind, values: ["x"] }]);
  });

  it("ignores empty filter values (an empty form field)", () => {
    expect(parse("user=&topic=").filters).toEqual([]);
  });

  it.each([
    ["from=yesterday", "from"],
    ["to=2026-13-40", "to"],
    ["from=2026-11-22&to=2026-11-21", "from"],
    ["from=2024-01-01&to=2026-01-01", "from"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["limit=2.5", "limit"],
    ["offset=-1", "offset"],
    ["offset=1e3", "offset"],
    ["sort=desc", "sort"],
    ["range=1y", "range"],
    ["range=24h&from=2026-11-20", "range"],
    ["from=2026-11-20&from=2026-11-21", "from"],
    ["tag.=x", "tag."],
    [`user=${"x".repeat(201)}`, "user"],
    ["<script>=1", "<script>"],
  ])("rejects %s naming %s", (query, parameter) => {
    const caught = error(query);
    expect(caught.code).toBe("invalid_query");
    expect(caught.message.startsWith(`${parameter}:`)).toBe(true);
  });

  it("gives equal queries the same cache key, whatever the parameter order", () => {
    expect(browseCacheKey(parse("user=a&topic=b&range=7d"))).toBe(browseCacheKey(parse("range=7d&topic=b&user=a")));
    expect(browseCacheKey(parse("user=a"))).not.toBe(browseCacheKey(parse("user=b")));
  });

  it("writes a query back as the same parameters", () => {
    const query = parse("range=24h&user=a&tag.plan=pro&limit=50&offset=50");
    expect(browseSearchParams(query, { offset: 100 }).toString()).toBe("range=24h&tag.plan=pro&user=a&limit=50&offset=100");
    expect(parse(browseSearchParams(query).toString())).toEqual(query);
  });
});

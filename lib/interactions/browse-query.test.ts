import { describe, expect, it } from "vitest";
import {
  browseCacheKey,
  browseHrefFor,
  browseSearchParams,
  normaliseBrowseParams,
  offsetWithinTotal,
  parseBrowseQuery,
  toListRequest,
} from "./browse-query";

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

  it("says the default is the 7-day preset, so the page can show it as chosen", () => {
    expect(parse("").range).toBe("7d");
    expect(parse("user=a").range).toBe("7d");
    expect(parse("from=2026-11-20").range).toBeNull();
    expect(parse("to=2026-11-20").range).toBeNull();
    expect(browseCacheKey(parse(""))).toBe(browseCacheKey(parse("range=7d")));
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

  it("accepts a leap day that exists", () => {
    expect(parse("from=2028-02-29&to=2028-03-01").from?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it("ignores empty filter values (an empty form field)", () => {
    expect(parse("user=&topic=").filters).toEqual([]);
  });

  it.each([
    ["from=yesterday", "from"],
    ["to=2026-13-40", "to"],
    ["from=2026-02-30", "from"],
    ["to=2026-04-31T10:00:00Z", "to"],
    ["from=2025-02-29", "from"],
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
    ["tag.foo=", "tag.foo"],
    ["tag.foo=%20%20", "tag.foo"],
    ["user=a&tag.plan=pro&tag.foo=", "tag.foo"],
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

  it("names the tag whose value is missing", () => {
    expect(error("tag.foo=").message).toContain('give a value for the tag "foo"');
  });
});

describe("normaliseBrowseParams", () => {
  const normalise = (query: string) => normaliseBrowseParams(new URLSearchParams(query))?.toString() ?? null;

  it("drops the empty fields a submitted form leaves", () => {
    expect(normalise("range=7d&user=&topic=&keyword=%20&user_feedback=&tag_name=&tag_value=")).toBe("range=7d");
    expect(normalise("from=&to=&range=30d&user=a&limit=&offset=")).toBe("range=30d&user=a");
  });

  it("keeps repeated and non-empty values, in order", () => {
    expect(normalise("user=a&user=&user=b&topic=")).toBe("user=a&user=b");
  });

  it("leaves a canonical address alone", () => {
    expect(normalise("range=7d&user=a&tag.plan=pro")).toBeNull();
    expect(normalise("")).toBeNull();
  });

  it("writes the form's tag pair as tag.{name}", () => {
    expect(normalise("range=7d&tag_name=%20plan%20&tag_value=pro")).toBe("range=7d&tag.plan=pro");
  });

  it("keeps a tag name without a value (or a value without a name), for the page to point out", () => {
    expect(normalise("range=7d&tag_name=plan&tag_value=")).toBe("range=7d&tag.plan=");
    expect(normalise("tag.plan=")).toBeNull();
    expect(() => parse(normalise("tag_name=plan&tag_value=")!)).toThrow(/^tag\.plan: /);
    expect(() => parse(normalise("tag_name=&tag_value=pro")!)).toThrow(/^tag\.: /);
  });

  it("cuts a tag name to the longest the list takes", () => {
    expect(normalise(`tag_name=${"n".repeat(150)}&tag_value=v`)).toBe(`tag.${"n".repeat(100)}=v`);
  });
});

describe("offsetWithinTotal", () => {
  it.each([
    [0, 25, 0, null],
    [25, 25, 30, null],
    [50, 25, 30, 25],
    [1_000, 25, 30, 25],
    [30, 10, 30, 20],
    [35, 10, 30, 20],
    [10, 10, 0, 0],
  ])("offset %i, limit %i, total %i → %s", (offset, limit, total, expected) => {
    expect(offsetWithinTotal({ offset, limit }, total)).toBe(expected);
  });
});

describe("browseHrefFor", () => {
  it("links a value to the list filtered by it, with the names Browse reads", () => {
    expect(browseHrefFor({ kind: "user", value: "maria@example.com" })).toBe("/interactions?range=30d&user=maria%40example.com");
    expect(browseHrefFor({ kind: "tag", tag: "plan", value: "pro" })).toBe("/interactions?range=30d&tag.plan=pro");
    const href = browseHrefFor({ kind: "user_intent", value: "a&b=<c>" })!;
    expect(parse(href.split("?")[1]!).filters).toEqual([{ kind: "user_intent", values: ["a&b=<c>"] }]);
  });

  it("gives no link for a value Browse would refuse", () => {
    expect(browseHrefFor({ kind: "topic", value: "x".repeat(201) })).toBeNull();
    expect(browseHrefFor({ kind: "topic", value: "  " })).toBeNull();
    expect(browseHrefFor({ kind: "tag", tag: "", value: "pro" })).toBeNull();
    expect(browseHrefFor({ kind: "tag", tag: "t".repeat(101), value: "pro" })).toBeNull();
  });
});

describe("the project parameter", () => {
  it("is repeatable, read in a stable order without repeats, and blank means every project", () => {
    expect(parse("project=sales&project=support&project=sales").projects).toEqual(["sales", "support"]);
    expect(parse("project=support&project=sales").projects).toEqual(["sales", "support"]);
    expect(parse("project=").projects).toEqual([]);
    expect(parse("").projects).toEqual([]);
  });

  it.each(["Sales", "../etc", "a b", "x".repeat(41), "sales%00"])("refuses %j as a project, naming the parameter", (slug) => {
    const refused = error(`project=${encodeURIComponent(slug)}`);
    expect(refused.code).toBe("invalid_query");
    expect(refused.message).toMatch(/^project: /);
  });

  it("takes at most 50 projects", () => {
    const many = Array.from({ length: 51 }, (_, index) => `project=p${index}`).join("&");
    expect(error(many)).toMatchObject({ code: "invalid_query", message: expect.stringContaining("at most 50 projects") });
  });

  it("does not change the list cache key (each project's pages are cached under its own slug)", () => {
    expect(browseCacheKey(parse("range=24h&project=sales"))).toBe(browseCacheKey(parse("range=24h")));
  });

  it("survives the round trip through browseSearchParams, and can be swapped", () => {
    const query = parse("range=24h&project=support&project=sales");
    expect(parse(browseSearchParams(query).toString())).toEqual(query);
    expect(browseSearchParams(query, { projects: ["hr"] }).getAll("project")).toEqual(["hr"]);
    expect(browseSearchParams(query, { projects: [] }).has("project")).toBe(false);
  });
});

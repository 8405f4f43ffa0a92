import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { parseAuditQuery } from "./query";

const parse = (query: string) => parseAuditQuery(new URLSearchParams(query));

function failure(query: string): string {
  try {
    parse(query);
  } catch (error) {
    if (isAppError(error) && error.code === "invalid_query") return error.message;
    throw error;
  }
  throw new Error(`"${query}" was accepted`);
}

describe("parseAuditQuery", () => {
  it("defaults to the newest 50 events of every kind", () => {
    expect(parse("")).toEqual({ actions: [], actor: null, target: null, from: null, to: null, limit: 50, cursor: null, direction: "older" });
  });

  it("reads repeated actions, the other filters and a cursor", () => {
    expect(parse("action=sign_in&action=sign_out&action=sign_in&actor=ana&target=link-1&limit=200&cursor=1764000000000.12&direction=newer")).toMatchObject({
      actions: ["sign_in", "sign_out"],
      actor: "ana",
      target: "link-1",
      limit: 200,
      cursor: { at: 1764000000000, id: 12 },
      direction: "newer",
    });
  });

  it("treats empty values as absent, as an unfilled GET form sends them", () => {
    expect(parse("action=&actor=&target=&from=&to=&limit=&cursor=")).toEqual(parse(""));
  });

  it.each([
    ["action=delete_everything", /^action: must be one of sign_in, /],
    ["limit=0", /^limit: /],
    ["limit=201", /^limit: /],
    ["limit=ten", /^limit: /],
    ["cursor=abc", /^cursor: /],
    ["direction=newer", /^direction: /],
    ["direction=sideways&cursor=1.1", /^direction: /],
    ["from=yesterday", /^from: /],
    ["from=2026-11-03&to=2026-11-02", /^from: must not be after to/],
    ["actor=a&actor=b", /^actor: may be given only once/],
    ["offset=10", /^offset: unknown parameter/],
    [`actor=${"x".repeat(201)}`, /^actor: at most 200/],
  ])("rejects %s", (query, message) => {
    expect(failure(query)).toMatch(message);
  });
});

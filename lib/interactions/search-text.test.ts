import { describe, expect, it } from "vitest";
import { toFtsQuery } from "./search-text";

describe("toFtsQuery", () => {
  it.each([
    ["refund", '"refund"*'],
    ["double charge", '"double"* "charge"*'],
    ['"quoted phrase"', '"quoted"* "phrase"*'],
    ["a AND b", '"a"* "AND"* "b"*'],
    ["NEAR(a b)", '"NEAR(a"* "b)"*'],
    ["-minus *star", '"-minus"* "*star"*'],
    ["((unbalanced", '"((unbalanced"*'],
    ["café", '"café"*'],
  ])("turns %s into plain prefix terms", (input, expected) => {
    expect(toFtsQuery(input)).toBe(expected);
  });

  it.each(["", "   ", '"""', "* - ( )"])("leaves nothing to search for in %j", (input) => {
    expect(toFtsQuery(input)).toBeNull();
  });
});

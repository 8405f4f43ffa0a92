import { describe, expect, it } from "vitest";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";
import { generatedSetting } from "./settings";

describe.each(testStores())("generatedSetting on %s", (dialect) => {
  const store = storeForEachTest(dialect);

  it("stores the first value made and answers it ever after, without making another", async () => {
    expect(await generatedSetting(store(), "session_secret", () => "first")).toBe("first");
    let made = 0;
    expect(
      await generatedSetting(store(), "session_secret", () => {
        made += 1;
        return "second";
      }),
    ).toBe("first");
    expect(made).toBeLessThanOrEqual(1);
    expect(await generatedSetting(store(), "another_setting", () => "other")).toBe("other");
  });

  it("gives replicas asking at the same moment one and the same value", async () => {
    const values = await Promise.all(Array.from({ length: 8 }, (_, replica) => generatedSetting(store(), "session_secret", () => `made by ${replica}`)));
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toMatch(/^made by \d$/);
  });
});

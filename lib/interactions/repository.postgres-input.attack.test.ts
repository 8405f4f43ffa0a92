import { beforeAll, describe, expect, it } from "vitest";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { openTestStore, testStores } from "@/test/stores";
import { createInteractionRepository, type InteractionRepository } from "./repository";

/* Typed text is client-chosen: no search may fail with anything but an answer (or the budget's 57014). */

const HOSTILE: Record<string, string> = {
  nul: "refund\u0000invoice",
  "lone surrogates": "\ud800refund \udfff \ud83d",
  "1,000 operators": Array.from({ length: 250 }, () => "OR -").join(" ").slice(0, 1000),
  "a 500-word phrase": `"${Array.from({ length: 499 }, () => "a").join(" ")}"`,
  "a 500-word phrase of pairs": `"${Array.from({ length: 330 }, () => "退款").join(" ")}"`,
  "one 1,000-character word": "é".repeat(1000),
  "one 1,000-character CJK word": "退".repeat(1000),
  "tsquery syntax": "'a' & !b | c:* <-> (d) \\' \\\\",
  "32 excluded": Array.from({ length: 32 }, (_, k) => `-w${k}xyz`).join(" "),
  "excluded phrase of 500 words": `-"${Array.from({ length: 499 }, () => "refund").join(" ")}"`,
  "digits and stopwords": "0 00 000 the a an",
  "combining marks only": "\u0301\u0301\u0301 e\u0301\u0301\u0301",
  "emoji ZWJ": "👩‍👩‍👧‍👦 refund",
  "RTL and bidi": "\u202erefund\u202c طلب استرداد",
};

describe.runIf(testStores().includes("postgres"))("hostile typed text on Postgres", () => {
  let repository: InteractionRepository;
  beforeAll(async () => {
    const store = await openTestStore("postgres");
    repository = createInteractionRepository(store);
    for (let k = 0; k < 5; k++) {
      const id = `66666666-0000-4000-8000-${String(k).padStart(12, "0")}`;
      const body = { id, timestamp: new Date().toISOString(), user_query: "refund a a a 退款退款", output: `refund invoice ${"a ".repeat(600)} 退款退款 é` };
      await repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), "support");
    }
  });

  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`answers ${name}`, async () => {
      for (const sort of ["time", "viewed"] as const) {
        const outcome = await repository.search({ sort, limit: 25, offset: 0, text, projects: ["support"] }).catch((error: unknown) => error);
        if (outcome instanceof Error) expect(`${(outcome as Error & { code?: string }).code}: ${outcome.message}`).toMatch(/^57014/);
      }
    });
  }

  for (const [name, value] of Object.entries({ nul: "a\u0000b", "lone surrogate": "\ud800x", "500 astral characters": "😀".repeat(500), "backslashes and quotes": "\\'\"%_" })) {
    it(`answers a user, topic, sentiment and feedback filter of ${name}, with and without typed words`, async () => {
      for (const text of [undefined, "refund", "-refund"]) {
        for (const sort of ["time", "viewed"] as const) {
          const result = await repository.search({ sort, limit: 25, offset: 0, text, user: value, topic: value, sentiment: value, feedbackType: value, projects: ["support"] });
          expect(result.count).toBe(0);
        }
      }
    });
  }
});

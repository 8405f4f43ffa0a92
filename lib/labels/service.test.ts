import { beforeEach, describe, expect, it } from "vitest";
import { openTestStore, testStores } from "@/test/stores";
import { LABEL_COLORS, LABELS_MAX, LABELS_PER_INTERACTION_MAX } from "./names";
import { createInteractionRepository } from "@/lib/interactions/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createLabelRepository } from "./repository";
import { createLabelService, type LabelService } from "./service";

const A = "00000000-0000-4000-8000-000000000001";

describe.each(testStores())("the label service on %s", (dialect) => {
  let labels: LabelService;

  beforeEach(async () => {
    const store = await openTestStore(dialect);
    labels = createLabelService(createLabelRepository(store));
    // Labels go on cached interactions only.
    const body = { id: A, user_query: "refund" };
    await createInteractionRepository(store).save(A, interactionSchema.parse(body), JSON.stringify(body), new Date(), "default");
  });

  it("makes a label with a palette colour, and refuses the same name however it is written (409 naming it)", async () => {
    const billing = await labels.create({ name: "  Billing\tissue " }, "ana");
    expect(billing).toMatchObject({ name: "Billing issue" });
    expect(LABEL_COLORS).toContain(billing.color);
    // Full-width letters, other case, other spaces: NFKC, lower case, collapsed.
    await expect(labels.create({ name: "ＢＩＬＬＩＮＧ   issue" }, null)).rejects.toMatchObject({ code: "conflict", status: 409, message: expect.stringContaining('"Billing issue"') });
    // Attack: a look-alike label. Invisible characters are refused; a joiner between letters is the same label.
    for (const lookalike of ["Bil\u200Bling issue", "Billing\u200E issue", "Bil\u2060ling issue", "Bil\u00ADling issue"]) {
      await expect(labels.create({ name: lookalike }, null), JSON.stringify(lookalike)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^name: must not contain control, invisible/) });
    }
    await expect(labels.create({ name: "Bil\u200Dling issue" }, null)).rejects.toMatchObject({ code: "conflict", status: 409 });
  });

  it("answers 400 naming the field for a bad name or colour", async () => {
    await expect(labels.create({ name: "   " }, null)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^name:/) });
    await expect(labels.create({ name: "x".repeat(41) }, null)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^name: at most 40/) });
    await expect(labels.create({ name: "bell\u0007" }, null)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^name:/) });
    await expect(labels.create({ name: "evil\u202Egnp.exe" }, null)).rejects.toMatchObject({ status: 400 });
    // Attack: a CSS value as the colour. Only palette names are taken.
    await expect(labels.create({ name: "Red", color: "red; background:url(https://evil.example)" }, null)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^color:/) });
  });

  it("keeps HTML and script in a name as the text it is", async () => {
    const hostile = await labels.create({ name: `<img src=x onerror="alert(1)">` }, null);
    expect((await labels.list([])).find((label) => label.id === hostile.id)?.name).toBe(`<img src=x onerror="alert(1)">`);
  });

  it("renames and recolours; a taken name is 409, an unknown id 404", async () => {
    const one = await labels.create({ name: "One" }, null);
    await labels.create({ name: "Two" }, null);
    expect((await labels.update(one.id, { name: "Uno", color: "pink" })).after).toEqual({ id: one.id, name: "Uno", color: "pink" });
    await expect(labels.update(one.id, { name: "two" })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining('"Two"') });
    await expect(labels.update("no-such-label", { name: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(labels.update("../../etc", { name: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(labels.remove("no-such-label")).rejects.toMatchObject({ status: 404 });
  });

  it("sets an interaction's labels: unknown ids 404 and nothing changes; more than the limit 400", async () => {
    const one = await labels.create({ name: "One" }, null);
    const two = await labels.create({ name: "Two" }, null);
    const set = await labels.replaceFor(A, [two.id, one.id], "ana");
    expect(set.labels.map((label) => label.name)).toEqual(["One", "Two"]);
    await expect(labels.replaceFor(A, [one.id, "missing-id"], null)).rejects.toMatchObject({ status: 404, message: expect.stringContaining("missing-id") });
    expect((await labels.labelsFor([A])).get(A)?.map((label) => label.name)).toEqual(["One", "Two"]);
    const many = Array.from({ length: LABELS_PER_INTERACTION_MAX + 1 }, (_, n) => `id-${n}`);
    await expect(labels.replaceFor(A, many, null)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^labelIds:/) });
    const removed = await labels.replaceFor(A, [one.id], null);
    expect(removed).toMatchObject({ added: [], removed: [two.id] });
    expect(removed.names.get(two.id)).toBe("Two");
  });

  it(`refuses a label past the ${LABELS_MAX}th`, async () => {
    for (let n = 0; n < LABELS_MAX; n++) await labels.create({ name: `label ${n}` }, null);
    await expect(labels.create({ name: "one more" }, null)).rejects.toMatchObject({ status: 400, message: expect.stringContaining(`${LABELS_MAX}`) });
  });
});

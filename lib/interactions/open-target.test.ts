import { describe, expect, it } from "vitest";
import { interactionPath, MAX_OPEN_INPUT_CHARS, parseOpenTarget } from "./open-target";
import { timeBudget } from "@/test/time-budget";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const PROJECT = "5b0c4e9a-2f61-4d8e-9a57-3c1d7e2b8f40";
const OTHER = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e13";

describe("parseOpenTarget", () => {
  it("reads a name at the very start of the text as a mark", () => {
    expect(parseOpenTarget(`interactions/${ID}?project=${PROJECT}`)).toEqual({ kind: "one", id: ID, turn: null });
  });

  it("counts a name as a mark only when a separator stands between it and the id", () => {
    expect(parseOpenTarget(`${PROJECT} interaction${ID}`)).toEqual({ kind: "several", ids: [PROJECT, ID], turn: null });
  });

  it("reads text with broken percent-encoding as it is", () => {
    expect(parseOpenTarget(`100% sure: ${ID}`)).toEqual({ kind: "one", id: ID, turn: null });
  });

  it.each([
    [ID],
    [`  ${ID.toUpperCase()}  `],
    [`http://inspector.internal:3000/interactions/${ID}`],
    [`https://app.nebuly.com/projects/p/interactions?interaction_id=${ID}&tab=chat`],
    [`https://proxy.example.com/r?u=${encodeURIComponent(`https://x.example/interactions/${ID}`)}`],
    [`id: ${ID}, see ticket`],
  ])("finds the one id in %s", (input) => {
    expect(parseOpenTarget(input)).toEqual({ kind: "one", id: ID, turn: null });
  });

  it.each([
    [`https://app.example/project/${PROJECT}/interactions?interactionId=${ID}`],
    [`https://app.example/project/${PROJECT}/interactions?interaction_id=${ID}`],
    [`https://app.example/project/${PROJECT}/list?interaction=${ID}`],
    [`https://app.example/project/${PROJECT}/interactions/${ID}`],
    [`https://app.example/project/${PROJECT}/interaction/${ID}/details`],
    [`https://app.example/INTERACTIONS/${ID}?project=${PROJECT}`],
    [`{"project_id": "${PROJECT}", "interaction_id": "${ID}"}`],
    [`https://proxy.example/r?u=${encodeURIComponent(`https://app.example/project/${PROJECT}/interactions?interactionId=${ID}`)}`],
  ])("prefers the id an interaction-named segment or parameter marks in %s", (input) => {
    expect(parseOpenTarget(input)).toEqual({ kind: "one", id: ID, turn: null });
  });

  it("returns every unmarked id when several remain, in order and without repeats, never guessing", () => {
    expect(parseOpenTarget(`https://app.example/project/${PROJECT}/x/${ID}?again=${PROJECT}`)).toEqual({ kind: "several", ids: [PROJECT, ID], turn: null });
  });

  it("returns the marked ids when several are marked", () => {
    expect(parseOpenTarget(`/interactions/${ID} and /interactions/${OTHER}`)).toEqual({ kind: "several", ids: [ID, OTHER], turn: null });
  });

  it("offers at most ten ids", () => {
    const many = Array.from({ length: 30 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`).join(" ");
    const target = parseOpenTarget(many);
    expect(target.kind === "several" && target.ids.length).toBe(10);
  });

  it.each([
    [`https://inspector.example.com/interactions/${ID}#turn-3`, 3],
    [`https://app.example/project/${PROJECT}/interactions?interactionId=${ID}#turn-12`, 12],
    [`${ID}#turn-0`, null],
    [`${ID}#turn-x`, null],
  ])("keeps the turn of %s", (input, turn) => {
    expect(parseOpenTarget(input)).toEqual({ kind: "one", id: ID, turn });
  });

  it("keeps the turn when several ids remain", () => {
    expect(parseOpenTarget(`/a/${PROJECT}/b/${ID}#turn-2`)).toMatchObject({ kind: "several", turn: 2 });
  });

  it.each(["", "   ", "hello", "0b6f3c1e-8a2d-4f57-9c1e", "https://example.com/interactions/abc", "%E0%A4%A", `a${ID.replace(/-/g, "")}`, `f${ID}`, `${ID}a`])(
    "finds nothing in %j",
    (input) => {
      expect(parseOpenTarget(input)).toEqual({ kind: "none" });
    },
  );

  it("refuses text longer than a link, rather than cutting it (a cut could drop the marked id)", () => {
    const long = `https://app.example/project/${PROJECT}/interactions?pad=${"x".repeat(MAX_OPEN_INPUT_CHARS)}&interactionId=${ID}`;
    expect(parseOpenTarget(long)).toEqual({ kind: "too_long" });
    expect(parseOpenTarget(ID.padEnd(MAX_OPEN_INPUT_CHARS, " "))).toMatchObject({ kind: "one" });
  });

  it.each([
    ["separators", "/".repeat(MAX_OPEN_INPUT_CHARS - 36) + ID],
    ["name characters", "interaction".padEnd(MAX_OPEN_INPUT_CHARS - 37, "a") + "/" + ID],
    ["near-UUIDs", "0b6f3c1e-8a2d-4f57-9c1e-".repeat(Math.floor(MAX_OPEN_INPUT_CHARS / 24))],
    ["hex", "a".repeat(MAX_OPEN_INPUT_CHARS)],
    ["UUIDs", `${ID}/`.repeat(Math.floor(MAX_OPEN_INPUT_CHARS / 37))],
  ])("reads hostile input made of %s quickly", (_, input) => {
    const started = performance.now();
    for (let round = 0; round < 50; round++) parseOpenTarget(input);
    expect(performance.now() - started).toBeLessThan(timeBudget(500));
  });
});

describe("interactionPath", () => {
  it("adds the turn as the fragment the page reads", () => {
    expect(interactionPath(ID)).toBe(`/interactions/${ID}`);
    expect(interactionPath(ID, 4)).toBe(`/interactions/${ID}#turn-4`);
  });
});

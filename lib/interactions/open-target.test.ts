import { describe, expect, it } from "vitest";
import { extractInteractionId } from "./open-target";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

describe("extractInteractionId", () => {
  it.each([
    [ID],
    [`  ${ID.toUpperCase()}  `],
    [`http://inspector.internal:3000/interactions/${ID}`],
    [`https://inspector.example.com/interactions/${ID}#turn-3`],
    [`https://app.nebuly.com/projects/p/interactions?interaction_id=${ID}&tab=chat`],
    [`https://proxy.example.com/r?u=${encodeURIComponent(`https://x.example/interactions/${ID}`)}`],
    [`id: ${ID}, see ticket`],
  ])("finds the id in %s", (input) => {
    expect(extractInteractionId(input)).toBe(ID);
  });

  it.each(["", "   ", "hello", "0b6f3c1e-8a2d-4f57-9c1e", "https://example.com/interactions/abc", "%E0%A4%A"])("finds nothing in %j", (input) => {
    expect(extractInteractionId(input)).toBeNull();
  });
});

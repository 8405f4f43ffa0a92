import { describe, expect, it } from "vitest";
import { AppError, errorResponse, isAppError, toAppError } from "./errors";

describe("AppError", () => {
  it("is recognised across bundle copies of the class (by brand, not instanceof)", () => {
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("interaction-inspector.app-error")]: true,
      code: "not_found",
    });
    expect(isAppError(foreign)).toBe(true);
    expect(toAppError(foreign)).toBe(foreign);
  });

  it("hides unexpected errors behind internal_error without their message", () => {
    const error = toAppError(new Error("SQLITE_CORRUPT at /srv/data/inspector.db"));
    expect(error.code).toBe("internal_error");
    expect(error.message).not.toContain("SQLITE");
  });

  it("sends Retry-After for rate limits", async () => {
    const response = errorResponse(new AppError("upstream_rate_limited", "slow down", { retryAfterSeconds: 7.2 }));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("8");
    expect(await response.json()).toEqual({ error: { code: "upstream_rate_limited", message: "slow down" } });
  });
});

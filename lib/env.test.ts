import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("fills in documented defaults and demo mode when nothing is set", () => {
    expect(parseEnv({})).toEqual({
      NEBULY_API_KEY: undefined,
      NEBULY_API_URL: "https://backend.nebuly.com",
      DATABASE_URL: "file:./data/inspector.db",
      CACHE_TTL_SECONDS: 600,
      UPSTREAM_TIMEOUT_MS: 10_000,
      PORT: 3000,
      LOG_LEVEL: "info",
      INSPECTOR_PASSWORD: undefined,
      INSPECTOR_TRUSTED_USER_HEADER: undefined,
      SESSION_SECRET: undefined,
      SESSION_TTL_HOURS: 12,
      RATE_LIMIT_PER_MINUTE: 120,
      NODE_ENV: "production",
    });
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ NEBULY_API_KEY: "", CACHE_TTL_SECONDS: " " }).NEBULY_API_KEY).toBeUndefined();
  });

  it("strips a trailing slash from the API URL", () => {
    expect(parseEnv({ NEBULY_API_URL: "http://127.0.0.1:9000/" }).NEBULY_API_URL).toBe("http://127.0.0.1:9000");
  });

  it.each([
    ["NEBULY_API_URL", "not a url"],
    ["NEBULY_API_URL", "ftp://example.com"],
    ["CACHE_TTL_SECONDS", "-1"],
    ["UPSTREAM_TIMEOUT_MS", "fast"],
    ["PORT", "70000"],
    ["DATABASE_URL", "file:"],
    ["INSPECTOR_PASSWORD", "short"],
    ["INSPECTOR_TRUSTED_USER_HEADER", "X User: evil"],
    ["SESSION_SECRET", "too-short"],
    ["RATE_LIMIT_PER_MINUTE", "0"],
  ])("rejects %s=%s with a message naming the variable", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(EnvError);
    expect(() => parseEnv({ [name]: value })).toThrow(name);
  });

  it("never echoes the key in an error", () => {
    try {
      parseEnv({ NEBULY_API_KEY: "secret-value-123", PORT: "x" });
    } catch (error) {
      expect(String(error)).not.toContain("secret-value-123");
    }
  });
});

import { describe, expect, it } from "vitest";
import { crossSiteProblem } from "./cross-site";

const base: { host: string; publicOrigin: string | undefined; allowForm: boolean } = { host: "inspector.local:3000", publicOrigin: undefined, allowForm: false };
const check = (method: string, headers: Record<string, string>, extra: Partial<typeof base> = {}) =>
  crossSiteProblem({ method, headers: new Headers(headers), ...base, ...extra });

describe("crossSiteProblem", () => {
  const json = { "content-type": "application/json", "content-length": "2" };

  it("lets reads through", () => {
    expect(check("GET", {})).toBeNull();
  });

  it("accepts same-origin JSON by Origin or Sec-Fetch-Site", () => {
    expect(check("POST", { ...json, origin: "http://inspector.local:3000" })).toBeNull();
    expect(check("POST", { ...json, "sec-fetch-site": "same-origin" })).toBeNull();
    expect(check("POST", { ...json, origin: "https://inspector.example" }, { publicOrigin: "https://inspector.example" })).toBeNull();
  });

  it("refuses another origin, a missing Origin, and the opaque origin", () => {
    expect(check("POST", { ...json, origin: "https://evil.example" })).toMatch(/own pages/);
    expect(check("POST", { ...json, origin: "http://inspector.local:3001" })).toMatch(/own pages/);
    expect(check("POST", json)).toMatch(/own pages/);
    expect(check("DELETE", { origin: "null" })).toMatch(/own pages/);
    expect(check("POST", { ...json, "sec-fetch-site": "cross-site" })).toMatch(/own pages/);
  });

  it("refuses bodies that are not JSON (what a cross-site form can send)", () => {
    const same = { origin: "http://inspector.local:3000", "content-length": "10" };
    expect(check("POST", { ...same, "content-type": "text/plain" })).toMatch(/application\/json/);
    expect(check("POST", { ...same, "content-type": "application/x-www-form-urlencoded" })).toMatch(/application\/json/);
    expect(check("POST", { ...same, "content-type": "application/x-www-form-urlencoded" }, { allowForm: true })).toBeNull();
    expect(check("PUT", { ...same })).toMatch(/application\/json/);
  });

  it("accepts a same-origin DELETE without a body", () => {
    expect(check("DELETE", { origin: "http://inspector.local:3000" })).toBeNull();
  });
});

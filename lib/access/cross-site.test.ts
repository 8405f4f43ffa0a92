import { describe, expect, it } from "vitest";
import { crossSiteProblem } from "./cross-site";

const base: { host: string | null; publicOrigin: string | undefined; allowForm: boolean; serverAction?: boolean } = { host: "inspector.local:3000", publicOrigin: undefined, allowForm: false };
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

  it("checks every state-changing method, PATCH included, and only those", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(check(method, { ...json, origin: "https://evil.example" }), method).toMatch(/own pages/);
    }
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(check(method, { origin: "https://evil.example" }), method).toBeNull();
  });

  it("treats an empty body (Content-Length: 0) as no body, which needs no content type", () => {
    // What fetch() and curl send for a POST or DELETE without a body.
    expect(check("POST", { origin: "http://inspector.local:3000", "content-length": "0" })).toBeNull();
    expect(check("DELETE", { origin: "http://inspector.local:3000", "content-length": "0" })).toBeNull();
    // A chunked body is a body, even without Content-Length.
    expect(check("POST", { origin: "http://inspector.local:3000", "transfer-encoding": "chunked" })).toMatch(/application\/json/);
  });

  it("reads the content type as HTTP does: parameters, spaces and case aside", () => {
    const same = { origin: "http://inspector.local:3000", "content-length": "10" };
    expect(check("POST", { ...same, "content-type": "application/json ; charset=utf-8" })).toBeNull();
    expect(check("POST", { ...same, "content-type": "Application/JSON" })).toBeNull();
    expect(check("POST", { ...same, "content-type": "application/json-patch+json" })).toMatch(/application\/json/);
  });

  it("allowing the sign-in form admits the urlencoded form type only, not any type", () => {
    const same = { origin: "http://inspector.local:3000", "content-length": "10" };
    for (const type of ["text/plain", "multipart/form-data; boundary=x"]) {
      expect(check("POST", { ...same, "content-type": type }, { allowForm: true }), type).toMatch(/application\/json/);
    }
  });

  it("a server action may carry Next's multipart body, but only from the inspector's own pages", () => {
    const multipart = { "content-type": "multipart/form-data; boundary=x", "content-length": "10" };
    expect(check("POST", { ...multipart, origin: "http://inspector.local:3000" }, { serverAction: true })).toBeNull();
    expect(check("POST", { ...multipart, "sec-fetch-site": "same-origin" }, { serverAction: true })).toBeNull();
    for (const origin of ["https://evil.example", "null", "%%%", "http://[", "http://inspector.local:3000.evil.example"]) {
      expect(check("POST", { ...multipart, origin }, { serverAction: true }), origin).toMatch(/own pages/);
    }
    expect(check("POST", multipart, { serverAction: true })).toMatch(/own pages/);
    expect(check("POST", { ...multipart, origin: "http://inspector.local:3000" })).toMatch(/application\/json/);
  });

  it("a content type without a body is still a type that must be JSON", () => {
    expect(check("DELETE", { origin: "http://inspector.local:3000", "content-type": "text/plain" })).toMatch(/application\/json/);
  });

  it("with PUBLIC_URL set, accepts its origin or the Host's, and still refuses every other", () => {
    const publicOrigin = "https://inspector.example";
    expect(check("POST", { ...json, origin: "https://evil.example" }, { publicOrigin })).toMatch(/own pages/);
    expect(check("POST", { ...json, origin: "https://inspector.example.evil.example" }, { publicOrigin })).toMatch(/own pages/);
    expect(check("POST", { ...json, origin: "http://inspector.local:3000" }, { publicOrigin })).toBeNull();
  });

  it("refuses an Origin that is not a URL, and any Origin when the request named no host", () => {
    expect(check("POST", { ...json, origin: "not a url" })).toMatch(/own pages/);
    expect(check("POST", { ...json, origin: "http://inspector.local:3000" }, { host: null })).toMatch(/own pages/);
  });

  it("compares the host without regard to case", () => {
    expect(check("POST", { ...json, origin: "http://inspector.local:3000" }, { host: "Inspector.Local:3000" })).toBeNull();
  });
});

import { expect, type APIRequest, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions } from "@playwright/test";

/**
 * Signing in with the shared password, as the specs behind a password need it before anything
 * else: `POST /api/session` from the app's own origin (the cross-site check wants JSON writes to
 * name it), which must answer 204 with a session cookie.
 */
async function signIn(request: APIRequestContext, url: string, password: string): Promise<void> {
  const response = await request.post(`${url}/api/session`, { headers: { Origin: url }, data: { password } });
  expect(response.status(), `signing in at ${url}`).toBe(204);
}

/** An API client with a session of its own, whose every request names the app's origin. Dispose of it after. */
export async function signedInRequest(playwright: { request: APIRequest }, url: string, password: string): Promise<APIRequestContext> {
  const request = await playwright.request.newContext({ baseURL: url, extraHTTPHeaders: { Origin: url } });
  await signIn(request, url, password);
  return request;
}

/** A browser context with a session of its own (its cookie jar holds it), for pages behind the password. Close it after. */
export async function signedInContext(browser: Browser, url: string, password: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await signIn(context.request, url, password);
  return context;
}

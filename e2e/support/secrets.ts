import { expect, type APIResponse } from "@playwright/test";
import { NEBULY_TEST_KEY } from "./app-server";

/** Asserts the Nebuly key is nowhere in a response: status line aside, headers and body. */
export async function expectNoKey(response: APIResponse): Promise<void> {
  const headers = JSON.stringify(response.headersArray());
  expect(headers).not.toContain(NEBULY_TEST_KEY);
  expect(await response.text()).not.toContain(NEBULY_TEST_KEY);
}

/** Asserts that none of several keys (one per configured project) is in a response: headers and body. */
export async function expectNoneOfKeys(response: APIResponse, keys: readonly string[]): Promise<void> {
  const headers = JSON.stringify(response.headersArray());
  const body = await response.text();
  for (const key of keys) {
    expect(headers, `a key in the headers of ${response.url()}`).not.toContain(key);
    expect(body, `a key in the body of ${response.url()}`).not.toContain(key);
  }
}

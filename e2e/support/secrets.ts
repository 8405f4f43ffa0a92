import { expect, type APIResponse } from "@playwright/test";
import { NEBULY_TEST_KEY } from "./app-server";

/** Asserts the Nebuly key is nowhere in a response: status line aside, headers and body. */
export async function expectNoKey(response: APIResponse): Promise<void> {
  const headers = JSON.stringify(response.headersArray());
  expect(headers).not.toContain(NEBULY_TEST_KEY);
  expect(await response.text()).not.toContain(NEBULY_TEST_KEY);
}

import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Test tools cannot download browsers on every machine: use Debian's Chromium where it is installed.
const debianChromium = "/usr/bin/chromium";
const executablePath = fs.existsSync(debianChromium) ? debianChromium : undefined;

export default defineConfig({
  testDir: "./e2e",
  // E2E_STORE=postgres: one Postgres server for the run (scripts/run-e2e.mjs runs both stores).
  globalSetup: "./e2e/support/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"],
    },
    trace: "retain-on-failure",
  },
});

import type { ProjectConfig } from "@/lib/projects/config";

/**
 * Demo mode's two projects, so the project switcher and the resolution of an id across projects
 * can be tried with no configuration. Their "keys" only select a half of the bundled data in the
 * in-process stand-in for Nebuly (lib/demo/upstream.ts); nothing leaves the process.
 */
export const DEMO_PROJECTS: readonly ProjectConfig[] = [
  { slug: "support", name: "Support bot", apiKey: "demo-support", apiUrl: "http://demo.invalid" },
  { slug: "billing", name: "Billing assistant", apiKey: "demo-billing", apiUrl: "http://demo.invalid" },
];

const BILLING_TOPICS = new Set(["Billing", "Finance", "Sales"]);

/** Which demo project an interaction belongs to: money questions go to the billing assistant. */
export function demoProjectOf(interaction: { topic?: unknown }): ProjectConfig {
  return DEMO_PROJECTS[typeof interaction.topic === "string" && BILLING_TOPICS.has(interaction.topic) ? 1 : 0]!;
}

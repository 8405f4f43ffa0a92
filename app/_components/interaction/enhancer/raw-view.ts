import { ATTR } from "@/lib/render/dom-contract";
import { announce } from "./clipboard";

/** The exact text behind a formatted message (per message), and the whole JSON (the Raw panel). */

export const apiBase = () => window.location.pathname.replace("/interactions/", "/api/interactions/");

let interactionJson: Promise<Record<string, unknown>> | undefined;

/** The interaction exactly as stored, fetched once per page view and only if needed. */
function loadInteractionJson(): Promise<Record<string, unknown>> {
  interactionJson ??= fetch(apiBase(), {
    headers: { Accept: "application/json" },
  }).then((response) => {
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  });
  interactionJson.catch(() => (interactionJson = undefined));
  return interactionJson;
}

/** The exact output of turn N, matching how the server numbers turns. */
function rawOutputOf(interaction: Record<string, unknown>, turn: number): string {
  const conversation = Array.isArray(interaction.conversation)
    ? interaction.conversation.filter((entry) => entry && typeof entry === "object" && !Array.isArray(entry))
    : [];
  const source = conversation.length ? (conversation[turn - 1] as Record<string, unknown>)?.output : interaction.output;
  return source === null || source === undefined ? "" : String(source);
}

export async function toggleRaw(button: HTMLElement) {
  const message = button.closest<HTMLElement>(`[${ATTR.message}]`);
  if (!message) return;
  const rendered = message.querySelector<HTMLElement>(`[${ATTR.rendered}]`)!;
  let raw = message.querySelector<HTMLElement>("[data-raw]");
  const showRaw = !rendered.hidden;
  if (showRaw && !raw) {
    button.setAttribute("aria-busy", "true");
    try {
      const text = rawOutputOf(await loadInteractionJson(), Number(message.getAttribute(ATTR.turnOutput)));
      raw = document.createElement("pre");
      raw.dataset.raw = "true";
      raw.className = "raw-text";
      raw.textContent = text;
      rendered.after(raw);
    } catch {
      announce("Could not load the exact text. Try again.");
      return;
    } finally {
      button.removeAttribute("aria-busy");
    }
  }
  rendered.hidden = showRaw;
  if (raw) raw.hidden = !showRaw;
  // A toggle button keeps its name ("Raw"); whether it is on is its pressed state.
  button.setAttribute("aria-pressed", String(showRaw));
}

/** JSON as people read it: two-space indents, one value per line. */
export async function prettyJson(text: Promise<string>): Promise<string> {
  return JSON.stringify(JSON.parse(await text), null, 2);
}

export async function loadRawJson(details: HTMLDetailsElement) {
  const target = details.querySelector<HTMLElement>(`[${ATTR.rawJsonTarget}]`);
  if (!details.open || !target || target.dataset.loaded) return;
  target.dataset.loaded = "true";
  try {
    const response = await fetch(details.getAttribute(ATTR.rawJsonUrl)!, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    target.textContent = JSON.stringify(await response.json(), null, 2);
  } catch {
    delete target.dataset.loaded;
    target.textContent = "Could not load the raw JSON. Close and open this section to try again.";
  }
}


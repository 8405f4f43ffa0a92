import { feedbackTypeOf } from "@/lib/render/interaction-view";

/** A feedback type in words, as the interaction page says it: `explicit_negative` → "Explicit negative". */
export function feedbackLabel(raw: string): string {
  const view = feedbackTypeOf(raw);
  const words = [view?.explicitness, view?.polarity].filter(Boolean).join(" ") || raw.trim().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

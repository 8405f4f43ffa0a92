/**
 * What a label may be, apart from the store so the picker (client) and the service agree. Names
 * are text: never HTML, never a CSS value. Colours are names from LABEL_COLORS, which the UI maps
 * to its own classes (app/globals.css `.label-chip[data-color]`); a stored colour is never put
 * into a style.
 */

/** Limits (README "Labels"): a name's length in characters, labels in all, labels on one interaction. */
export const LABEL_NAME_MAX = 40;
export const LABELS_MAX = 200;
export const LABELS_PER_INTERACTION_MAX = 20;

export const LABEL_COLORS = ["gray", "red", "orange", "amber", "green", "teal", "blue", "indigo", "purple", "pink"] as const;
export type LabelColor = (typeof LABEL_COLORS)[number];

export function isLabelColor(value: string): value is LabelColor {
  return (LABEL_COLORS as readonly string[]).includes(value);
}

/** A label as the API and pages show it. */
export interface Label {
  id: string;
  name: string;
  color: LabelColor;
}

// Control characters (C0, DEL, C1) other than whitespace, the bidirectional controls that would
// make a name read differently from what it is, and invisible characters that would make two
// labels look the same ("Bil\u200bling" beside "Billing"). Joiners (U+200C, U+200D) are kept:
// scripts and emoji need them; the name key leaves them out instead.
const FORBIDDEN = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;
const JOINERS = /[\u200c\u200d]/gu;

/** The name as shown: whitespace runs (tabs, new lines) made one space, trimmed. */
export function tidyLabelName(name: string): string {
  return name.replace(/\s+/gu, " ").trim();
}

/** Why a name cannot be a label's, or null when it can (tidied first). */
export function labelNameProblem(name: string): string | null {
  const tidy = tidyLabelName(name);
  if (tidy.length === 0) return "name: must not be empty.";
  if ([...tidy].length > LABEL_NAME_MAX) return `name: at most ${LABEL_NAME_MAX} characters.`;
  if (FORBIDDEN.test(tidy)) return "name: must not contain control, invisible or direction-changing characters.";
  return null;
}

/**
 * The name as compared for sameness: NFKC, lower case, joiners left out, whitespace collapsed,
 * trimmed ("Billing", " billing" and "Bil\u200dling" are one label).
 */
export function labelNameKey(name: string): string {
  return tidyLabelName(name.normalize("NFKC").toLowerCase().replace(JOINERS, ""));
}

/** A colour for a new label when none is chosen: the same name always gets the same colour. */
export function defaultLabelColor(name: string): LabelColor {
  let hash = 0;
  for (const char of labelNameKey(name)) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return LABEL_COLORS[hash % LABEL_COLORS.length]!;
}

import type { Label, LabelColor } from "@/lib/labels/names";

/**
 * A label's colour as classes: only these fixed strings ever reach `class`, whatever is stored
 * (a stored colour outside the palette is read as gray before it gets here).
 */
const COLOR_CLASSES: Record<LabelColor, string> = {
  gray: "bg-zinc-100 text-zinc-800 ring-zinc-300 dark:bg-zinc-400/15 dark:text-zinc-100 dark:ring-zinc-400/40",
  red: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-400/15 dark:text-red-100 dark:ring-red-400/40",
  orange: "bg-orange-50 text-orange-800 ring-orange-300 dark:bg-orange-400/15 dark:text-orange-100 dark:ring-orange-400/40",
  amber: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-400/15 dark:text-amber-100 dark:ring-amber-400/40",
  green: "bg-green-50 text-green-800 ring-green-300 dark:bg-green-400/15 dark:text-green-100 dark:ring-green-400/40",
  teal: "bg-teal-50 text-teal-800 ring-teal-300 dark:bg-teal-400/15 dark:text-teal-100 dark:ring-teal-400/40",
  blue: "bg-blue-50 text-blue-800 ring-blue-300 dark:bg-blue-400/15 dark:text-blue-100 dark:ring-blue-400/40",
  indigo: "bg-indigo-50 text-indigo-800 ring-indigo-300 dark:bg-indigo-400/15 dark:text-indigo-100 dark:ring-indigo-400/40",
  purple: "bg-purple-50 text-purple-800 ring-purple-300 dark:bg-purple-400/15 dark:text-purple-100 dark:ring-purple-400/40",
  pink: "bg-pink-50 text-pink-800 ring-pink-300 dark:bg-pink-400/15 dark:text-pink-100 dark:ring-pink-400/40",
};

export const LABEL_CHIP_CLASS = "inline-flex max-w-[16rem] items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset";

export function labelColorClass(color: LabelColor): string {
  return COLOR_CLASSES[color] ?? COLOR_CLASSES.gray;
}

/** One label, its name as text (React escapes it: HTML in a name shows as written). */
export function LabelChip({ label }: { label: Label }) {
  return (
    <span className={`${LABEL_CHIP_CLASS} ${labelColorClass(label.color)}`} data-label-chip={label.id}>
      <span className="truncate">{label.name}</span>
    </span>
  );
}

/** A list row's labels; nothing when it has none. */
export function LabelChips({ labels }: { labels: readonly Label[] | undefined }) {
  if (!labels?.length) return null;
  return (
    <span className="contents">
      <span className="sr-only">Labels:</span>
      {labels.map((label) => (
        <LabelChip key={label.id} label={label} />
      ))}
    </span>
  );
}

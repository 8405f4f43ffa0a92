/** Badge colour classes, shared by React components and the server-built conversation HTML. */
export type Tone = "neutral" | "positive" | "negative" | "warning" | "danger" | "info";

export const toneClasses: Record<Tone, string> = {
  neutral: "border-line bg-sunken text-ink",
  positive: "border-emerald-600/30 bg-emerald-50 text-emerald-900 dark:bg-emerald-400/10 dark:text-emerald-200",
  negative: "border-rose-600/30 bg-rose-50 text-rose-900 dark:bg-rose-400/10 dark:text-rose-200",
  warning: "border-amber-500/40 bg-amber-50 text-amber-900 dark:bg-amber-400/10 dark:text-amber-200",
  danger: "border-red-600/50 bg-red-100 text-red-900 dark:bg-red-500/20 dark:text-red-100",
  info: "border-indigo-500/30 bg-indigo-50 text-indigo-900 dark:bg-indigo-400/10 dark:text-indigo-200",
};

export const badgeClass = (tone: Tone) =>
  `inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${toneClasses[tone]}`;

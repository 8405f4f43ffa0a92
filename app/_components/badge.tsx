import type { ReactNode } from "react";
import { badgeClass, type Tone } from "@/lib/render/tones";

export type { Tone };

export function Badge({ tone = "neutral", title, children }: { tone?: Tone; title?: string; children: ReactNode }) {
  return (
    <span title={title} className={badgeClass(tone)}>
      {children}
    </span>
  );
}

export function sentimentTone(sentiment: string | null): Tone {
  const value = sentiment?.toLowerCase() ?? "";
  if (value.includes("neg")) return "negative";
  if (value.includes("pos")) return "positive";
  return "neutral";
}

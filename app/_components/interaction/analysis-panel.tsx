import { Notice } from "@/app/_components/notice";
import { ShieldAlert } from "lucide-react";
import { Badge, sentimentTone } from "@/app/_components/badge";
import type { InteractionView } from "@/lib/render/interaction-view";
import { hiddenBySharer } from "./interaction-header";
import { BrowseValueLink, type BrowseLinks } from "./browse-value-link";
import { Field, JsonBlock, Section } from "./section";

const dash = <span className="text-muted">—</span>;

/** `browse`: topic, intent and tags link to the Browse list filtered by them (null on a share view). */
export function AnalysisPanel({ view, browse = null, redacted = false }: { view: InteractionView; browse?: BrowseLinks; redacted?: boolean }) {
  return (
    <Section id="analysis" title="Analysis">
      <div className="space-y-4 text-sm">
        {view.riskyBehavior.length ? (
          <Notice tone="danger">
            <p className="flex items-center gap-1.5 font-semibold">
              <ShieldAlert aria-hidden="true" className="size-4" />
              Risky behaviour: {view.riskyBehavior.join(", ")}
            </p>
            {view.warningMessage ? <p className="mt-1">{view.warningMessage}</p> : null}
          </Notice>
        ) : null}
        <dl className="grid grid-cols-2 gap-3">
          <Field label="Topic">
            {view.topic ? (
              <BrowseValueLink filter={{ kind: "topic", value: view.topic }} browse={browse}>
                {view.topic}
              </BrowseValueLink>
            ) : (
              dash
            )}
          </Field>
          <Field label="Intent">
            {view.intent ? (
              <BrowseValueLink filter={{ kind: "user_intent", value: view.intent }} browse={browse}>
                {view.intent}
              </BrowseValueLink>
            ) : (
              dash
            )}
          </Field>
          <Field label="Sentiment">
            {view.sentiment ? <Badge tone={sentimentTone(view.sentiment)}>{view.sentiment}</Badge> : dash}
          </Field>
          <Field label="Actions">{view.actions.length ? view.actions.join(", ") : dash}</Field>
        </dl>

        <div>
          <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">Emotions</h3>
          {!view.emotions ? (
            dash
          ) : view.emotions.kind === "labels" ? (
            <ul className="flex flex-wrap gap-1.5">
              {view.emotions.labels.map((label) => (
                <li key={label}>
                  <Badge>{label}</Badge>
                </li>
              ))}
            </ul>
          ) : (
            <ul className="space-y-1.5">
              {view.emotions.scores.map(({ label, score }) => (
                <li key={label} className="grid grid-cols-[7rem_1fr_3rem] items-center gap-2">
                  <span className="truncate">{label}</span>
                  <span className="h-2 overflow-hidden rounded-full bg-sunken" role="img" aria-label={`${label}: ${Math.round(score * 100)}%`}>
                    <span className="block h-full rounded-full bg-accent" style={{ width: `${Math.round(score * 100)}%` }} />
                  </span>
                  <span className="text-right tabular-nums text-muted">{Math.round(score * 100)}%</span>
                </li>
              ))}
            </ul>
          )}
        </div>

        <div>
          <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">Tags</h3>
          {view.tags.length ? (
            <ul className="flex flex-wrap gap-1.5">
              {view.tags.map(({ key, value }, index) => (
                <li key={`${key}-${index}`} className="inline-flex overflow-hidden rounded-md border border-line text-xs">
                  <span className="bg-sunken px-1.5 py-0.5 font-medium">{key}</span>
                  {value ? (
                    <BrowseValueLink filter={{ kind: "tag", tag: key, value }} browse={browse} label={`${key}: ${value}`} className="px-1.5 py-0.5">
                      {value}
                    </BrowseValueLink>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            redacted ? hiddenBySharer : dash
          )}
        </div>

        {view.actionDetails ? (
          <details>
            <summary className="cursor-pointer text-xs font-medium uppercase tracking-wide text-muted">Action details</summary>
            <JsonBlock value={view.actionDetails} />
          </details>
        ) : null}
      </div>
    </Section>
  );
}

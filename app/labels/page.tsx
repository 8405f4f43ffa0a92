import type { Metadata } from "next";
import { LABEL_COLORS, LABEL_NAME_MAX, LABELS_MAX, LABELS_PER_INTERACTION_MAX, listLabels } from "@/lib/labels";
import { requestViewer } from "@/lib/access/request-viewer";
import { LabelManager } from "./label-manager";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Labels" };

/** The team's labels: rename, recolour or delete them. Labels are made on the fly from an interaction's page. */
export default async function LabelsPage() {
  const labels = await listLabels(await requestViewer());
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Labels</h1>
        <p className="text-sm text-muted">
          The team&apos;s labels. Add them to an interaction from its page (press <kbd className="kbd">l</kbd> there); filter by them in Cached. Up to {LABELS_MAX} labels of at
          most {LABEL_NAME_MAX} characters, {LABELS_PER_INTERACTION_MAX} on one interaction.
        </p>
      </div>
      <LabelManager initial={labels} colors={[...LABEL_COLORS]} />
    </div>
  );
}

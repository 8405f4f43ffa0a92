import { randomToken } from "@/lib/access/tokens";
import { AppError } from "@/lib/errors";
import { defaultLabelColor, isLabelColor, labelNameKey, labelNameProblem, LABELS_MAX, LABELS_PER_INTERACTION_MAX, tidyLabelName, type Label, type LabelColor } from "./names";
import type { LabelChange, LabelRepository, LabelRow } from "./repository";

export interface LabelSummary extends Label {
  /** How many interactions carry it. */
  uses: number;
}

/** A stored colour outside the palette (written by a later version, say) shows as gray: never as itself. */
export function labelOf(row: LabelRow): Label {
  return { id: row.id, name: row.name, color: isLabelColor(row.color) ? row.color : "gray" };
}

// Ids are made here (randomToken): anything else names no label, and is not sent to the store.
const ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

function validName(name: string): string {
  const problem = labelNameProblem(name);
  if (problem) throw new AppError("invalid_request", problem);
  return tidyLabelName(name);
}

function validColor(color: string): LabelColor {
  if (!isLabelColor(color)) throw new AppError("invalid_request", "color: must be one of the palette's names.");
  return color;
}

const noSuchLabel = (id: string) => new AppError("not_found", `There is no label with id "${id.slice(0, 64)}".`);
const duplicate = (name: string) => new AppError("conflict", `name: there is already a label named "${name}".`);

/**
 * The team's labels: validation, limits and sameness of names. Who may label which interaction is
 * decided by the caller (index.ts), which passes only interactions the viewer may see.
 */
export function createLabelService(repository: LabelRepository, now: () => Date = () => new Date()) {
  async function existing(id: string): Promise<LabelRow> {
    const row = ID_SHAPE.test(id) ? await repository.find(id) : undefined;
    if (!row) throw noSuchLabel(id);
    return row;
  }

  return {
    /** Every label, `uses` counting interactions of `projects` only. */
    async list(projects: readonly string[]): Promise<LabelSummary[]> {
      return (await repository.list(projects)).map((row) => ({ ...labelOf(row), uses: Number(row.uses) }));
    },

    async create(input: { name: string; color?: string }, by: string | null): Promise<Label> {
      const name = validName(input.name);
      const color = input.color === undefined ? defaultLabelColor(name) : validColor(input.color);
      const nameKey = labelNameKey(name);
      const same = await repository.findByKey(nameKey);
      if (same) throw duplicate(same.name);
      const full = () => new AppError("invalid_request", `name: there are already ${LABELS_MAX} labels, the most there can be; delete one on the labels page first.`);
      if ((await repository.count()) >= LABELS_MAX) throw full();
      const at = now();
      const row = await repository.insert({ id: randomToken(9), name, nameKey, color, createdAt: at, createdBy: by, updatedAt: at }, LABELS_MAX);
      // Others made labels between the count and the insert, up to the limit.
      if (row === "full") throw full();
      // Another request made the same name between the check and the insert: the unique index said so.
      if (!row) throw duplicate(name);
      return labelOf(row);
    },

    /** Renames and/or recolours; returns the label before and after. */
    async update(id: string, input: { name?: string; color?: string }): Promise<{ before: Label; after: Label }> {
      const before = await existing(id);
      const change: { name?: string; nameKey?: string; color?: string } = {};
      if (input.name !== undefined) {
        change.name = validName(input.name);
        change.nameKey = labelNameKey(change.name);
      }
      if (input.color !== undefined) change.color = validColor(input.color);
      const result = await repository.rename(id, change, now());
      if (result === "missing") throw noSuchLabel(id);
      if (result === "duplicate") {
        const same = change.nameKey ? await repository.findByKey(change.nameKey) : undefined;
        throw duplicate(same?.name ?? change.name ?? "");
      }
      return { before: labelOf(before), after: labelOf(result) };
    },

    async remove(id: string): Promise<Label> {
      const row = ID_SHAPE.test(id) ? await repository.remove(id) : undefined;
      if (!row) throw noSuchLabel(id);
      return labelOf(row);
    },

    /** Labels of each of these interactions (one query). */
    async labelsFor(interactionIds: readonly string[]): Promise<Map<string, Label[]>> {
      const grouped = await repository.labelsOf(interactionIds);
      return new Map([...grouped].map(([id, rows]) => [id, rows.map(labelOf)]));
    },

    /** Makes `labelIds` an interaction's labels. Unknown ids: 404 naming the first; more than the limit: 400. */
    async replaceFor(interactionId: string, labelIds: readonly string[], by: string | null): Promise<LabelChange & { labels: Label[]; names: Map<string, string> }> {
      const wanted = [...new Set(labelIds)];
      if (wanted.length > LABELS_PER_INTERACTION_MAX) throw new AppError("invalid_request", `labelIds: at most ${LABELS_PER_INTERACTION_MAX} labels on one interaction.`);
      const unknown = wanted.find((id) => !ID_SHAPE.test(id));
      if (unknown !== undefined) throw noSuchLabel(unknown);
      const found = await repository.findMany(wanted);
      const missing = wanted.find((id) => !found.some((row) => row.id === id));
      if (missing !== undefined) throw noSuchLabel(missing);
      // The names of labels removed too, for the audit log: read before the change.
      const current = (await repository.labelsOf([interactionId])).get(interactionId) ?? [];
      const change = await repository.replaceFor(interactionId, wanted, now(), by);
      if (!change) throw new AppError("not_found", "There is no interaction with this id cached here; open it once, then label it.");
      const names = new Map([...current, ...found].map((row) => [row.id, row.name]));
      const labels = (await repository.labelsOf([interactionId])).get(interactionId) ?? [];
      return { ...change, labels: labels.map(labelOf), names };
    },
  };
}

export type LabelService = ReturnType<typeof createLabelService>;

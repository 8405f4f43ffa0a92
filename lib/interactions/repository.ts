import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { interactions, type InteractionRow } from "@/db/schema";
import { parseTimestamp } from "@/lib/format";
import type { Interaction } from "@/lib/nebuly/schemas";

export interface InteractionRepository {
  find(id: string): InteractionRow | undefined;
  save(id: string, interaction: Interaction, rawJson: string, fetchedAt: Date): InteractionRow;
}

export function createInteractionRepository(db: Db): InteractionRepository {
  const findStatement = db.select().from(interactions).where(eq(interactions.id, sql.placeholder("id"))).prepare();

  return {
    find(id) {
      return findStatement.get({ id });
    },

    save(id, interaction, rawJson, fetchedAt) {
      const indexed = {
        rawJson,
        fetchedAt,
        timestamp: parseTimestamp(interaction.timestamp),
        user: interaction.user ?? null,
        topic: interaction.topic ?? null,
        sentiment: interaction.sentiment ?? null,
        feedbackType: interaction.feedback_type ?? null,
        projectId: interaction.project_id ?? null,
        conversationId: interaction.conversation_id ?? null,
      };
      return db
        .insert(interactions)
        .values({ id, ...indexed })
        .onConflictDoUpdate({ target: interactions.id, set: indexed })
        .returning()
        .get();
    },
  };
}

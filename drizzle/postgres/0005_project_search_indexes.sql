DROP INDEX "interactions_search_words_idx";--> statement-breakpoint
DROP INDEX "interactions_search_trigram_idx";--> statement-breakpoint
DROP INDEX "interactions_search_pairs_idx";--> statement-breakpoint
CREATE INDEX "interactions_search_words_idx" ON "interactions" USING gin ("project_slug","search_words");--> statement-breakpoint
CREATE INDEX "interactions_search_trigram_idx" ON "interactions" USING gin ("project_slug","search_folded" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "interactions_search_pairs_idx" ON "interactions" USING gin ("project_slug","search_pairs");
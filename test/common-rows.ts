import { Client } from "pg";

/**
 * Words every seeded row holds: searches of them match everything, so the indexes return every
 * row and cost is at its worst (the attack tests' "common words").
 */
export const COMMON_WORDS = "refund invoice deploy region latency billing password webhook cache domain backup token quota export schema migrate rollback alert".split(" ");

/**
 * `rows` ordinary snapshots of `projectSlug` (80 common words each, ids 00000000-…-<n>, a minute
 * apart, newest first), written straight into a Postgres store's interactions table in one
 * statement: quick enough for tens of thousands of rows, which saving through the repository is not.
 */
export async function seedCommonRows(databaseUrl: string, rows: number, projectSlug: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `WITH w AS (SELECT string_to_array($3::text, ' ') AS words),
       r AS (SELECT g, (SELECT string_agg(w.words[1 + ((g * 7 + k * 13) % 18)], ' ' ORDER BY k) FROM generate_series(0, 79) AS k) AS body
             FROM w, generate_series(1, $1::int) AS g)
       INSERT INTO interactions (id, raw_json, fetched_at, timestamp, project_slug, search_body, search_folded)
       SELECT '00000000-0000-4000-8000-' || lpad(g::text, 12, '0'),
         json_build_object('id', '00000000-0000-4000-8000-' || lpad(g::text, 12, '0'), 'user_query', left(body, 40), 'output', body)::text,
         now(), now() - g * interval '1 minute', $2, body || E'\\n', body || E'\\n'
       FROM r`,
      [rows, projectSlug, COMMON_WORDS.join(" ")],
    );
    await client.query("ANALYZE interactions");
  } finally {
    await client.end();
  }
}

// Seeds a throwaway SQLite cache with N interactions and times the cached-list queries; with
// BENCH_POSTGRES_URL, copies the rows into that Postgres database (db:copy) and times them there too.
// Bundled and run by bench/run.mjs; the repository and schema are the app's own.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeStore, openDatabase, openStore } from "@/db/client";
import { createInteractionRepository, type CachedSearchQuery, type InteractionRepository } from "@/lib/interactions/repository";
import { copySqliteToPostgres } from "@/lib/ops/copy-store";
import { interactionSchema } from "@/lib/nebuly/schemas";

const COUNT = Number(process.env.BENCH_CACHE_ROWS ?? 100_000);
const SAMPLES = 50;

const WORDS = "refund invoice deploy region latency billing password webhook cache domain backup token quota export schema migrate rollback alert".split(" ");
const TOPICS = ["Billing", "Developer support", "Account", "Security", "Pricing", "Onboarding", "Incident", "Product"];
const SENTIMENTS = ["positive", "negative", "neutral"];
const FEEDBACK = ["explicit_positive", "explicit_negative", "implicit_positive", "implicit_negative", null];
// Every 10th interaction has a turn in Chinese or Japanese (sentences without spaces).
const CJK = [
  "可以开具增值税专用发票吗？请在账单详细信息中填写公司名称、税号和地址。",
  "東京リージョンをご利用いただけます。プロジェクト作成時にリージョンを選択してください。",
  "我们的退款政策是三十天内全额退款，退款会在五个工作日内到账。",
  "パスワードを再設定するには、メールに記載されたリンクを開いてください。",
];

function sentence(seed: number, length: number): string {
  return Array.from({ length }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]).join(" ");
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function time(run: () => Promise<unknown>): Promise<number> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inspector-cache-bench-"));
const db = openDatabase(path.join(dir, "bench.db"));
const repository = createInteractionRepository({ dialect: "sqlite", db });
const seedStart = performance.now();
const base = Date.parse("2026-01-01T00:00:00Z");
db.$client.transaction(() => {
  for (let i = 0; i < COUNT; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const body = {
      id,
      user: `user-${i % 5_000}@example.com`,
      topic: TOPICS[i % TOPICS.length],
      sentiment: SENTIMENTS[i % SENTIMENTS.length],
      feedback_type: FEEDBACK[i % FEEDBACK.length],
      timestamp: new Date(base + i * 60_000).toISOString(),
      user_query: sentence(i, 8),
      conversation: [
        { input: sentence(i + 1, 10), output: `${sentence(i + 2, 40)} ${i % 1000 === 0 ? "zebracorn" : ""}` },
        { input: sentence(i + 3, 6), output: sentence(i + 4, 30), is_chosen: true },
        ...(i % 10 === 0 ? [{ input: CJK[(i / 10) % CJK.length], output: CJK[(i / 10 + 1) % CJK.length] }] : []),
      ],
    };
    // Two projects of equal size (1 in 2 rows each), so a viewer limited to one reads half the cache.
    // The SQLite repository runs synchronously inside its async methods: this stays one transaction.
    void repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), i % 2 === 0 ? "support" : "sales");
    if (i % 97 === 0) void repository.recordView(id, new Date(base + i * 1_000));
  }
})();
const seedMs = performance.now() - seedStart;

/** The same searches, timed on one store's repository. */
async function searches(repository: InteractionRepository): Promise<{ baseline: number; results: [string, number][] }> {
  const page = (query: Partial<CachedSearchQuery>) => () => repository.search({ sort: "time", limit: 25, offset: 0, ...query });
  const baseline = await time(() => repository.find("00000000-0000-4000-8000-000000050000"));
  const results: [string, number][] = [
    ["latest first, no filter", await time(page({}))],
    ["filter by topic and sentiment", await time(page({ topic: "Billing", sentiment: "negative" }))],
    ["filter by user", await time(page({ user: "user-42@example.com" }))],
    ["full text, common word (matches every row)", await time(page({ text: "refund" }))],
    ["full text, rare word (100 rows)", await time(page({ text: "zebracorn" }))],
    ["full text, two words + topic filter", await time(page({ text: "deploy rollback", topic: "Incident" }))],
    ["full text, common word + user filter (20 rows)", await time(page({ text: "refund", user: "user-42@example.com" }))],
    ["full text, common word, last viewed first", await time(page({ text: "refund", sort: "viewed" }))],
    ["full text, inside words only (fund in refund, every row)", await time(page({ text: "fund" }))],
    ["full text, Chinese inside a sentence (增值税, 5,000 rows)", await time(page({ text: "增值税" }))],
    ["full text, Chinese pair (专用, 5,000 rows)", await time(page({ text: "专用" }))],
    ["full text, Japanese inside a sentence (ご利用, 5,000 rows)", await time(page({ text: "ご利用" }))],
    ["full text, phrase (common)", await time(page({ text: '"refund export"' }))],
    ["full text, OR (rare word OR Chinese)", await time(page({ text: "zebracorn OR 增值税" }))],
    ["full text, common word minus a rare one", await time(page({ text: "refund -zebracorn" }))],
    ["full text, only an excluded word", await time(page({ text: "-zebracorn" }))],
    ["sorted by last viewed", await time(page({ sort: "viewed" }))],
    ["page 200 (offset 4,975)", await time(page({ offset: 4_975 }))],
    ["one project of two, latest first", await time(page({ projects: ["sales"] }))],
    ["one project of two, common word", await time(page({ text: "refund", projects: ["sales"] }))],
    ["one project of two, rare word", await time(page({ text: "zebracorn", projects: ["sales"] }))],
    ["one project of two, Chinese inside a sentence", await time(page({ text: "增值税", projects: ["sales"] }))],
    ["one project of two, topic filter + common word", await time(page({ text: "refund", topic: "Billing", projects: ["sales"] }))],
    ["one project of two, last viewed first", await time(page({ sort: "viewed", projects: ["sales"] }))],
  ];
  return { baseline, results };
}

const sqlite = await searches(repository);

// The same rows on Postgres, when run.mjs gives it a database: moved there by db:copy's own code.
let postgres: { copyMs: number; baseline: number; results: [string, number][] } | undefined;
if (process.env.BENCH_POSTGRES_URL) {
  const store = await openStore(process.env.BENCH_POSTGRES_URL, { poolMax: 4, unbounded: true });
  if (store.dialect !== "postgres") throw new Error("BENCH_POSTGRES_URL must be a postgres:// URL");
  const copyStart = performance.now();
  await copySqliteToPostgres(db, store.db);
  const copyMs = performance.now() - copyStart;
  postgres = { copyMs, ...(await searches(createInteractionRepository(store))) };
  await closeStore(store);
}

console.log(JSON.stringify({ count: COUNT, seedMs, baseline: sqlite.baseline, results: sqlite.results, postgres }));
fs.rmSync(dir, { recursive: true, force: true });

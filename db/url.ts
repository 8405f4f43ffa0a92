/**
 * What DATABASE_URL names: a SQLite file (`file:./data/inspector.db`, or a bare path, the embedded
 * default) or a Postgres database (`postgres://` or `postgresql://`, the shared store for several
 * replicas). Any other scheme is refused at start: before this check a Postgres URL on a release
 * without Postgres became a SQLite file inside a folder named "postgres:".
 */
export type DatabaseTarget = { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string };

const POSTGRES = /^postgres(ql)?:\/\//i;
const OTHER_SCHEME = /^(?!file:)[a-z][a-z0-9+.-]*:\/\//i;
// "word:" at the start (two letters or more, so never a drive letter) other than file:.
const LOOKS_LIKE_SCHEME = /^(?!file:)[a-z][a-z0-9+.-]+:/i;

export function databaseTarget(databaseUrl: string): DatabaseTarget {
  if (POSTGRES.test(databaseUrl)) return { dialect: "postgres", url: databaseUrl };
  return { dialect: "sqlite", file: databaseUrl.replace(/^file:/, "") };
}

/** Why `databaseUrl` cannot be used, or null. Never quotes the URL: it may carry a password. */
export function databaseUrlProblem(databaseUrl: string): string | null {
  if (POSTGRES.test(databaseUrl)) {
    const parsed = parsePostgresUrl(databaseUrl);
    if (!parsed) return "is not a valid postgres:// URL (postgres://user:password@host:5432/database; percent-encode special characters in the password)";
    const { url, hostname } = parsed;
    if (!hostname && !url.searchParams.get("host")) return "must name the Postgres host (postgres://user:password@host:5432/database)";
    if (url.pathname.replace(/^\//, "") === "") return "must name the database (postgres://user:password@host:5432/database)";
    return null;
  }
  // A Postgres URL with a typo (postgres:/…, postgresql//…) or another scheme: never a file name.
  if (OTHER_SCHEME.test(databaseUrl) || /^postgres/i.test(databaseUrl) || LOOKS_LIKE_SCHEME.test(databaseUrl)) {
    return "must be a SQLite file (file:./data/inspector.db) or a Postgres URL (postgres://user:password@host:5432/database)";
  }
  if (databaseUrl.replace(/^file:/, "").length === 0) return "must name a file";
  return null;
}

/** The URL as logs may show it: without user or password. */
export function describeDatabase(databaseUrl: string): string {
  const target = databaseTarget(databaseUrl);
  if (target.dialect === "sqlite") return target.file;
  const parsed = parsePostgresUrl(target.url);
  if (!parsed) return "postgres://(unparseable URL)";
  return `postgres://${parsed.hostname ? parsed.url.host : ""}${parsed.url.pathname}`;
}

/**
 * The URL as pg reads it: a user but no host before the path (`postgres://user@/db?host=/socket`,
 * libpq's form for a Unix socket) is valid there, though not to WHATWG URL; its host is then empty.
 */
function parsePostgresUrl(databaseUrl: string): { url: URL; hostname: string } | null {
  try {
    const url = new URL(databaseUrl);
    return { url, hostname: url.hostname };
  } catch {
    try {
      return { url: new URL(databaseUrl.replace("@/", "@no-host/")), hostname: "" };
    } catch {
      return null;
    }
  }
}

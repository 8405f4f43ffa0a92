import "server-only";
import { z } from "zod";
import { databaseUrlProblem } from "@/db/url";
import { resolveProjects, type ProjectConfig } from "@/lib/projects/config";

const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

// Empty strings come from `KEY=` lines in .env files; treat them as unset.
const emptyAsUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

export const envSchema = z.object({
  NEBULY_API_KEY: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  /** A JSON array of projects (see lib/projects/config.ts); instead of NEBULY_API_KEY, for several projects. */
  NEBULY_PROJECTS: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** A path to the same JSON, for keys mounted as secrets. */
  NEBULY_PROJECTS_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
  NEBULY_API_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .default("https://backend.nebuly.com")
      .transform((url) => url.replace(/\/+$/, "")),
  ),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default("file:./data/inspector.db")
      .superRefine((value, context) => {
        const problem = databaseUrlProblem(value);
        if (problem) context.addIssue({ code: "custom", message: problem });
      }),
  ),
  /** Connections each process keeps to Postgres (ignored for SQLite). */
  DATABASE_POOL_MAX: z.preprocess(emptyAsUndefined, z.coerce.number({ error: "must be a whole number of connections" }).int("must be a whole number of connections").min(1, "must be at least 1").max(100, "must be at most 100").default(10)),
  CACHE_TTL_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(600)),
  /** Snapshots nobody opened for this many days are deleted (hourly); 0 keeps them forever. */
  CACHE_RETENTION_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: "must be a whole number of days (0 keeps snapshots forever)" }).int("must be a whole number of days (0 keeps snapshots forever)").min(0, "must be 0 (keep forever) or more days").max(36_500, "must be at most 36500 days (use 0 to keep forever)").default(90),
  ),
  UPSTREAM_TIMEOUT_MS: z.preprocess(emptyAsUndefined, positiveInt(10_000)),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65_535).default(3000)),
  INSPECTOR_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(8, "must be at least 8 characters").optional()),
  INSPECTOR_TRUSTED_USER_HEADER: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name such as X-Forwarded-User")
      .transform((name) => name.toLowerCase())
      .optional(),
  ),
  /** Comma-separated groups of the viewer, set by the same SSO proxy as the user header: decides which projects they see. */
  INSPECTOR_TRUSTED_GROUPS_HEADER: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name such as X-Forwarded-Groups")
      .transform((name) => name.toLowerCase())
      .optional(),
  ),
  SESSION_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
  SESSION_TTL_HOURS: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(24 * 30).default(12)),
  RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, positiveInt(120)),
  /**
   * Which peers may speak for the client through X-Forwarded-For/-Proto/-Host: a number of proxy
   * hops in front of the app, or a comma list of addresses and CIDRs. Unset: nobody, the TCP peer
   * is the client.
   */
  TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .superRefine((value, context) => {
        if (value === undefined) return;
        const problem = trustProxyProblem(value);
        if (problem) context.addIssue({ code: "custom", message: problem });
      }),
  ),
  /** The address readers use (https://inspector.example.com): absolute links are built from it. */
  PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://inspector.example.com" })
      .refine((value) => {
        // Zod runs this check even when the URL check above failed: that one already named the problem.
        if (!URL.canParse(value)) return true;
        const url = new URL(value);
        return (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash && !url.username && !url.password;
      }, "must be an origin only (scheme, host and port), without a path, query or credentials")
      .transform((value) => new URL(value).origin)
      .optional(),
  ),
  /** After SIGTERM/SIGINT, how long in-flight requests may take before the server exits anyway. */
  SHUTDOWN_GRACE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(300).default(10)),
  /**
   * After SIGTERM/SIGINT, how long the server keeps accepting new connections while /api/ready
   * answers 503, so a load balancer stops sending traffic before the port closes. At most the grace.
   */
  SHUTDOWN_DRAIN_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(60).default(2)),
  /**
   * Turns on GET /metrics for a Prometheus scraper sending `Authorization: Bearer <token>`. Unset:
   * /metrics does not exist (404). Printable ASCII without spaces, since it travels in a header.
   */
  METRICS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .min(16, "must be at least 16 characters (for example the output of `openssl rand -hex 32`)")
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces (it is sent in an Authorization header)")
      .optional(),
  ),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
});

export type Env = z.infer<typeof envSchema> & {
  /** The Nebuly projects read here, from NEBULY_PROJECTS(_FILE) or NEBULY_API_KEY; empty in demo mode. */
  projects: ProjectConfig[];
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Why a TRUST_PROXY value is unusable, or null. Deep checks (IPv6 forms) happen in lib/access. */
function trustProxyProblem(value: string): string | null {
  if (/^\d+$/.test(value.trim())) return Number(value) <= 10 ? null : "a number of hops must be at most 10";
  for (const entry of value.split(",").map((part) => part.trim())) {
    const [address, bits, extra] = entry.split("/");
    if (extra !== undefined || !address) return `"${entry}" is not an address or CIDR`;
    const v4 = IPV4.test(address);
    const v6 = !v4 && /^[0-9a-f:.]+$/i.test(address) && address.includes(":");
    if (!v4 && !v6 && !["loopback", "linklocal", "uniquelocal"].includes(address)) return `"${entry}" is not an address or CIDR`;
    if (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > (v4 ? 32 : 128))) return `"${entry}" has a bad prefix length`;
  }
  return null;
}

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>, readFile?: (path: string) => string): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const config = result.data;
  const problems: string[] = [];
  if (config.INSPECTOR_TRUSTED_GROUPS_HEADER && !config.INSPECTOR_TRUSTED_USER_HEADER) {
    problems.push("INSPECTOR_TRUSTED_GROUPS_HEADER: needs INSPECTOR_TRUSTED_USER_HEADER too (groups count only from the SSO proxy that names the user)");
  }
  const projects = resolveProjects(config, readFile);
  if (!projects.ok) problems.push(...projects.problems);
  if (problems.length > 0) throw new EnvError(problems);
  return { ...config, projects: projects.ok ? projects.projects : [] };
}

let cached: Env | undefined;

/** The validated configuration. The only place in the app that reads process.env. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function isDemoMode(): boolean {
  return env().projects.length === 0;
}

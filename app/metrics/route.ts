import { errorResponse } from "@/lib/errors";
import { metricsAccessAllowed, metricsNotFound } from "@/lib/ops/metrics-access";
import { scrapeMetrics } from "@/lib/ops/metrics";

export const dynamic = "force-dynamic";

/** Prometheus scrape. proxy.ts already answered 404 without the token; checked again here in case a request arrives another way. */
export async function GET(request: Request) {
  if (!metricsAccessAllowed(request.headers.get("authorization"))) return errorResponse(metricsNotFound());
  const { body, contentType } = await scrapeMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}

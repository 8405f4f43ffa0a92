import { healthCheck } from "@/lib/ops/health";

export const dynamic = "force-dynamic";

export function GET() {
  const health = healthCheck();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}

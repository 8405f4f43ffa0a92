import { healthCheck } from "@/lib/interactions";

export const dynamic = "force-dynamic";

export function GET() {
  const health = healthCheck();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}

import { healthCheck } from "@/lib/ops/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await healthCheck();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}

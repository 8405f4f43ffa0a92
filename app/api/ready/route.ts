import { readinessCheck } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await readinessCheck();
  return Response.json(readiness, {
    status: readiness.status === "ready" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}

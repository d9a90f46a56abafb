/**
 * GET /api/health — for load balancers and uptime checks: 200 {status:"ok"} when this instance can reach
 * its database, 503 otherwise. No authentication, no body parsing, one trivial query.
 */
import { backingServices } from "~/server/http/request-context";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    await backingServices().db.$queryRawUnsafe("SELECT 1");
    return Response.json({ status: "ok", database: "ok" }, { headers });
  } catch {
    return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503, headers });
  }
}

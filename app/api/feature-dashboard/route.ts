/** GET /api/feature-dashboard?model=&set=&layer=&index=[&v=]: server/http/feature-dashboard-route.ts. */
import type { NextRequest } from "next/server";
import { featureDashboardResponse } from "~/server/http/feature-dashboard-route";
import { requestContext } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";

export const GET = handleErrors(async (req: NextRequest) => featureDashboardResponse(req, await requestContext(req)));

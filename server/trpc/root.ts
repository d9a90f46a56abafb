/** The only place routers are mounted. */
import { accountRouter, apiKeyRouter } from "./routers/account";
import { authRouter } from "./routers/auth";
import { graphRouter, subgraphRouter } from "./routers/graph";
import { interventionRouter } from "./routers/intervention";
import { jobRouter, workerRouter } from "./routers/job";
import { invitationRouter, memberRouter, workspaceRouter } from "./routers/workspace";
import { createCallerFactory, router } from "./init";

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  apiKey: apiKeyRouter,
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
  graph: graphRouter,
  subgraph: subgraphRouter,
  job: jobRouter,
  worker: workerRouter,
  intervention: interventionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

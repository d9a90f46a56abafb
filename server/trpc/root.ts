/** The only place routers are mounted. */
import { accountRouter, apiKeyRouter } from "./routers/account";
import { authRouter } from "./routers/auth";
import { caseStudyRouter } from "./routers/case-study";
import { commentRouter } from "./routers/comment";
import { featureDashboardRouter } from "./routers/feature-dashboard";
import { graphRouter, subgraphRouter } from "./routers/graph";
import { interventionRouter } from "./routers/intervention";
import { labelRouter } from "./routers/label";
import { jobRouter, workerRouter } from "./routers/job";
import { activityRouter, notificationRouter } from "./routers/notification";
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
  comment: commentRouter,
  notification: notificationRouter,
  activity: activityRouter,
  worker: workerRouter,
  intervention: interventionRouter,
  featureDashboard: featureDashboardRouter,
  label: labelRouter,
  caseStudy: caseStudyRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

/** The only place routers are mounted. */
import { accountRouter, apiKeyRouter } from "./routers/account";
import { authRouter } from "./routers/auth";
import { invitationRouter, memberRouter, workspaceRouter } from "./routers/workspace";
import { createCallerFactory, router } from "./init";

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  apiKey: apiKeyRouter,
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

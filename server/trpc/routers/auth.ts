/**
 * Signed-out account flows. Every answer about an address is the same whether it has an account or not
 * (CHECK_YOUR_MAIL); what differs goes to that address's mailbox. These procedures are never batched
 * (server/trpc/unbatched-auth.ts), so each call meets the per-IP limits on its own.
 */
import { z } from "zod";
import { abuseLimits, env } from "../../env";
import { requestPasswordReset, resetPassword, ZResetTokenSchema } from "../../services/auth/passwords";
import { signUp, ZEmailSchema, ZSignUpSchema } from "../../services/auth/users";
import { verifyEmail } from "../../services/auth/verification";
import { publicProcedure, router } from "../init";

const ZVerifyTokenSchema = z.string().min(8, "token: not a verification token").max(200);

export const authRouter = router({
  signUp: publicProcedure
    .input(ZSignUpSchema)
    .mutation(({ ctx, input }) =>
      signUp(ctx.db, ctx.mailer, input, { ip: ctx.ip, limits: abuseLimits(), verifyTtlHours: env().VERIFY_TTL_HOURS }),
    ),
  verifyEmail: publicProcedure
    .input(z.object({ token: ZVerifyTokenSchema }))
    .mutation(({ ctx, input }) => verifyEmail(ctx.db, input)),
  requestPasswordReset: publicProcedure.input(z.object({ email: ZEmailSchema })).mutation(({ ctx, input }) =>
    requestPasswordReset(ctx.db, ctx.mailer, {
      email: input.email,
      ip: ctx.ip,
      limits: abuseLimits(),
      ttlMinutes: env().RESET_TTL_MINUTES,
    }),
  ),
  // The strength check needs the account's name and email, so it runs in the service (errors name `password`).
  resetPassword: publicProcedure
    .input(z.object({ token: ZResetTokenSchema, password: z.string().max(1000) }))
    .mutation(({ ctx, input }) => resetPassword(ctx.db, input)),
});

import { z } from "zod";
import { abuseLimits, env, signInLimits } from "../../env";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import { getAccount } from "../../services/auth/account";
import { changePassword } from "../../services/auth/passwords";
import { signOutEverywhere } from "../../services/auth/sessions";
import { resendVerification } from "../../services/auth/verification";
import { protectedProcedure, router } from "../init";

export const accountRouter = router({
  me: protectedProcedure.query(({ ctx }) => getAccount(ctx.db, { actor: ctx.user })),
  resendVerification: protectedProcedure.mutation(({ ctx }) =>
    resendVerification(ctx.db, ctx.mailer, {
      actor: ctx.user,
      limits: abuseLimits(),
      ttlHours: env().VERIFY_TTL_HOURS,
    }),
  ),
  changePassword: protectedProcedure
    .input(z.object({ currentPassword: z.string().max(1000), newPassword: z.string().max(1000) }))
    .mutation(({ ctx, input }) => changePassword(ctx.db, { actor: ctx.user, ...input, limits: signInLimits() })),
  signOutEverywhere: protectedProcedure.mutation(({ ctx }) => signOutEverywhere(ctx.db, { actor: ctx.user })),
});

export const apiKeyRouter = router({
  list: protectedProcedure.query(({ ctx }) => listApiKeys(ctx.db, { actor: ctx.user })),
  create: protectedProcedure
    .input(
      z.object({ name: z.string().trim().min(1, "name: give the key a name").max(60, "name: at most 60 characters") }),
    )
    .mutation(({ ctx, input }) => createApiKey(ctx.db, { actor: ctx.user, name: input.name })),
  revoke: protectedProcedure
    .input(z.object({ keyId: z.string().min(1) }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, { actor: ctx.user, keyId: input.keyId })),
});

import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import { protectedProcedure, router } from "../init";

export const accountRouter = router({
  me: protectedProcedure.query(({ ctx }) => ctx.user),
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

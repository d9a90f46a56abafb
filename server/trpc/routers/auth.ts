import { signUp, ZSignUpSchema } from "../../services/auth/users";
import { publicProcedure, router } from "../init";

export const authRouter = router({
  signUp: publicProcedure.input(ZSignUpSchema).mutation(({ ctx, input }) => signUp(ctx.db, input)),
});

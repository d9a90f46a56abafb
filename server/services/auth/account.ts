/** The signed-in user's own account, as Settings and the verification banner show it. */
import type { Db } from "../../db/client";
import { AppError } from "../../errors";

export async function getAccount(db: Db, { actor }: { actor: { id: string } }) {
  const user = await db.user.findUnique({ where: { id: actor.id } });
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isEmailVerified: user.emailVerifiedAt !== null,
    hasPassword: user.passwordHash !== null,
  };
}

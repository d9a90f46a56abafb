/** Session helpers for server components: the signed-in user, or a redirect to sign-in. */
import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "../db/client";
import { getUserForSession } from "../services/auth/sessions";
import type { SessionUser } from "../services/auth/users";
import { authOptions } from "./options";

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; epoch?: unknown } | undefined;
  return user?.id ? getUserForSession(getDb(), { userId: user.id, sessionEpoch: user.epoch }) : null;
});

export async function requireUser(callbackPath: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return user;
}

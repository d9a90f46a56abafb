/**
 * Who is calling: a Bearer API key (`Authorization: Bearer cb_…`) wins over the session cookie.
 * A present but invalid key is an error (UNAUTHORIZED), never a silent fall-back to anonymous.
 */
import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { getDb } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";
import { authenticateApiKey } from "../services/api-keys";
import { getUserForSession } from "../services/auth/sessions";
import type { SessionUser } from "../services/auth/users";

export async function getRequestUser(req: NextRequest): Promise<SessionUser | null> {
  const db = getDb();
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const user = match?.[1] ? await authenticateApiKey(db, match[1]) : null;
    if (!user) throw new AppError("UNAUTHORIZED", "Invalid or revoked API key in the Authorization header");
    return user;
  }
  const token = await getToken({ req, secret: env().NEXTAUTH_SECRET });
  // Re-read the user so that a deleted account, or a session ended by "sign out everywhere" or a
  // password change, loses access at once.
  return token?.sub ? getUserForSession(db, { userId: token.sub, sessionEpoch: token.epoch }) : null;
}

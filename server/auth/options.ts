/**
 * next-auth configuration: email + password (always), GitHub OAuth (when GITHUB_ID and GITHUB_SECRET are
 * set). Sessions are JWTs in an HTTP-only cookie; the token's `sub` is our user id and `epoch` the user's
 * session epoch at sign-in, checked on every request (server/services/auth/sessions.ts), so that
 * "sign out everywhere" and password changes end sessions the server cannot otherwise recall.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { getDb } from "../db/client";
import { env, isGithubEnabled, signInLimits } from "../env";
import { AppError } from "../errors";
import { findOrCreateOAuthUser, oauthSignInRefusal, verifyCredentials } from "../services/auth/users";
import { safeRedirectPath } from "@circuitboard/shared/safe-redirect";
import { clientIp } from "./client-ip";

export function authOptions(): NextAuthOptions {
  const e = env();
  return {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) throw new Error("Enter your email and password");
          try {
            return await verifyCredentials(getDb(), {
              email: credentials.email,
              password: credentials.password,
              ip: clientIp((name) => {
                const v = req.headers?.[name];
                return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
              }),
              limits: signInLimits(),
            });
          } catch (err) {
            // next-auth passes an Error's message to the sign-in page as `error`.
            if (err instanceof AppError) throw new Error(err.message);
            throw err;
          }
        },
      }),
      ...(isGithubEnabled() ? [GitHubProvider({ clientId: e.GITHUB_ID!, clientSecret: e.GITHUB_SECRET! })] : []),
    ],
    callbacks: {
      // Same-site paths only, by the one check (@circuitboard/shared/safe-redirect); anything else goes home.
      redirect({ url, baseUrl }) {
        const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url;
        return `${baseUrl}${safeRedirectPath(path, "/")}`;
      },
      async signIn({ account, profile, user }) {
        if (account?.provider !== "github") return true;
        const email = user.email ?? (profile as { email?: string } | undefined)?.email;
        if (!email) return "/signin?error=" + encodeURIComponent("Your GitHub account has no public email address");
        // Refused here, with the reason on the sign-in page, rather than as an error page from the jwt callback.
        const refusal = await oauthSignInRefusal(getDb(), { githubId: String(account.providerAccountId), email });
        return refusal ? "/signin?error=" + encodeURIComponent(refusal) : true;
      },
      async jwt({ token, user, account, profile }) {
        if (account?.provider === "github" && user) {
          const own = await findOrCreateOAuthUser(getDb(), {
            githubId: String(account.providerAccountId),
            email: user.email ?? (profile as { email: string }).email,
            name: user.name ?? (profile as { login?: string }).login ?? "GitHub user",
          });
          token.sub = own.id;
          token.epoch = own.sessionEpoch;
        } else if (user) {
          token.sub = user.id;
          token.epoch = (user as { sessionEpoch?: number }).sessionEpoch;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) {
          (session.user as { id?: string }).id = token.sub;
          (session.user as { epoch?: unknown }).epoch = token.epoch;
        }
        return session;
      },
    },
  };
}

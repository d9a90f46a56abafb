import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "~/server/auth/session";
import { TRPCReactProvider } from "./_trpc/react";
import { SignOutButton } from "./_components/sign-out-button";
import { VerifyBanner } from "./_components/verify-banner";
import { serverApi } from "./_trpc/server";
import "./globals.css";

export const metadata: Metadata = {
  title: "Circuitboard",
  description: "Collaborative circuit-tracing research: attribution graphs, workspaces, comments and feature labels.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getSessionUser();
  const account = user ? await (await serverApi()).account.me() : null;
  return (
    <html lang="en">
      <body>
        <header className="site">
          <Link className="brand" href="/">
            Circuitboard
          </Link>
          {user ? (
            <nav aria-label="Main" style={{ display: "flex", gap: "1rem", alignItems: "center" }}>
              <Link href="/workspaces">Workspaces</Link>
              <Link href="/explore">Explore</Link>
              <Link href="/settings">Settings</Link>
              <span className="muted" aria-label="Signed in as">
                {user.email}
              </span>
              <SignOutButton />
            </nav>
          ) : (
            <nav aria-label="Main" style={{ display: "flex", gap: "1rem" }}>
              <Link href="/explore">Explore</Link>
              <Link href="/signin">Sign in</Link>
              <Link href="/signup">Sign up</Link>
            </nav>
          )}
        </header>
        <TRPCReactProvider>
          {account && !account.isEmailVerified && <VerifyBanner email={account.email} />}
          <main>{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "~/server/auth/session";
import { TRPCReactProvider } from "./_trpc/react";
import { SignOutButton } from "./_components/sign-out-button";
import "./globals.css";

export const metadata: Metadata = {
  title: "Circuitboard",
  description: "Collaborative circuit-tracing research: attribution graphs, workspaces, comments and feature labels.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getSessionUser();
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
          <main>{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}

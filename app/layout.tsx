import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "~/server/auth/session";
import { TRPCReactProvider } from "./_trpc/react";
import { LiveProvider } from "./_components/live/live-provider";
import { NotificationBell } from "./_components/notification-bell";
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
        {/* One provider around header and page: one query client, and one live stream per tab. */}
        <TRPCReactProvider>
          <LiveProvider>
            <header className="site">
              <Link className="brand" href="/">
                Circuitboard
              </Link>
              {user ? (
                <nav aria-label="Main" style={{ display: "flex", gap: "1rem", alignItems: "center" }}>
                  <Link href="/workspaces">Workspaces</Link>
                  <Link href="/explore">Explore</Link>
                  <Link href="/settings">Settings</Link>
                  <NotificationBell userId={user.id} />
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
            <main>{children}</main>
          </LiveProvider>
        </TRPCReactProvider>
      </body>
    </html>
  );
}

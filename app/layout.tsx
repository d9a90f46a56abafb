import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "~/server/auth/session";
import { TRPCReactProvider } from "./_trpc/react";
import { LiveProvider } from "./_components/live/live-provider";
import { NotificationBell } from "./_components/notification-bell";
import { SignOutButton } from "./_components/sign-out-button";
import { VerifyBanner } from "./_components/verify-banner";
import { serverApi } from "./_trpc/server";
import "./globals.css";

export const metadata: Metadata = {
  title: "Circuitboard",
  description: "Collaborative circuit-tracing research: attribution graphs, workspaces, comments and feature labels.",
};

function NavLinks({ user }: { user: { id: string; email: string } | null }) {
  return user ? (
    <>
      <Link href="/workspaces">Workspaces</Link>
      <Link href="/explore">Explore</Link>
      <Link href="/features">Features</Link>
      <Link href="/settings">Settings</Link>
      <span className="muted" aria-label="Signed in as">
        {user.email}
      </span>
      <SignOutButton />
    </>
  ) : (
    <>
      <Link href="/explore">Explore</Link>
      <Link href="/signin">Sign in</Link>
      <Link href="/signup">Sign up</Link>
    </>
  );
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getSessionUser();
  const account = user ? await (await serverApi()).account.me() : null;
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
              <nav aria-label="Main" className="site-nav">
                <NavLinks user={user} />
              </nav>
              {/* Once, outside both link lists: one unread count on every screen size. */}
              {user && <NotificationBell userId={user.id} />}
              {/* Phones: the same links in a menu (CSS shows one or the other). */}
              <details className="site-menu">
                <summary>Menu</summary>
                <nav aria-label="Main menu">
                  <NavLinks user={user} />
                </nav>
              </details>
            </header>
            {account && !account.isEmailVerified && <VerifyBanner email={account.email} />}
            <main>{children}</main>
          </LiveProvider>
        </TRPCReactProvider>
      </body>
    </html>
  );
}

import type { Metadata } from "next";
import { VerifyEmail } from "./verify-email";

// The token is in the path: never send it on to another site in a Referer header.
export const metadata: Metadata = { title: "Verify your address · Circuitboard", referrer: "no-referrer" };

/**
 * The link in the verification mail. Verifying takes a click (a POST), not the page load, so that mail
 * scanners that fetch links do not use up the single-use token.
 */
export default async function VerifyPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1>Verify your email address</h1>
      <VerifyEmail token={token} />
    </>
  );
}

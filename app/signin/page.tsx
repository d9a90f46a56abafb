import { isGithubEnabled } from "~/server/env";
import { SignInForm } from "./sign-in-form";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { callbackUrl, error } = await searchParams;
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm callbackUrl={safeCallback(callbackUrl)} initialError={error} isGithubEnabled={isGithubEnabled()} />
    </>
  );
}

/** Only same-site paths: an open redirect would let a link send users anywhere after sign-in. */
function safeCallback(url: string | undefined): string {
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/workspaces";
}

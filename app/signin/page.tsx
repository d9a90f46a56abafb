import { isGithubEnabled } from "~/server/env";
import { safeCallback } from "../_components/safe-callback";
import { SignInForm } from "./sign-in-form";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { callbackUrl, error } = await searchParams;
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm callbackUrl={safeCallback(callbackUrl)} initialError={error} isGithubEnabled={isGithubEnabled()} />
    </>
  );
}

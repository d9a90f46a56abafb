import { safeCallback } from "../_components/safe-callback";
import { SignUpForm } from "./sign-up-form";

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { callbackUrl } = await searchParams;
  return (
    <>
      <h1>Create your account</h1>
      <SignUpForm callbackUrl={safeCallback(callbackUrl)} />
    </>
  );
}

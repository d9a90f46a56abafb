import { RequestResetForm } from "./request-reset-form";

export default function RequestResetPage() {
  return (
    <>
      <h1>Reset your password</h1>
      <p>Enter the address of your account and we will mail you a link to choose a new password.</p>
      <RequestResetForm />
    </>
  );
}

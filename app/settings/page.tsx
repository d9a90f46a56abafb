import { requireUser } from "~/server/auth/session";
import { serverApi } from "../_trpc/server";
import { ChangePasswordForm, SignOutEverywhere } from "./account-security";
import { ApiKeys } from "./api-keys";

export default async function SettingsPage() {
  await requireUser("/settings");
  const api = await serverApi();
  const [account, keys] = await Promise.all([api.account.me(), api.apiKey.list()]);
  return (
    <>
      <h1>Account settings</h1>
      <p>
        <strong>{account.name}</strong> <span className="muted">{account.email}</span>{" "}
        <span className="badge" aria-label="Email status">
          {account.isEmailVerified ? "verified" : "not verified"}
        </span>
      </p>
      <h2>Password</h2>
      <ChangePasswordForm email={account.email} hasPassword={account.hasPassword} />
      <h2>Sessions</h2>
      <p className="muted">
        Signs out every browser and device signed in to your account, this one included, and revokes your API keys.
        Changing or resetting your password does the same.
      </p>
      <SignOutEverywhere />
      <h2>API keys</h2>
      <p className="muted">
        Use a key as <code>Authorization: Bearer &lt;key&gt;</code> on <code>/api/trpc</code> and the graph API. A key
        acts as you, with your roles in every workspace. Only a fingerprint is stored, so a key is shown once.
      </p>
      <ApiKeys keys={keys} />
    </>
  );
}

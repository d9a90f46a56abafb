import { requireUser } from "~/server/auth/session";
import { serverApi } from "../_trpc/server";
import { ApiKeys } from "./api-keys";

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  const keys = await (await serverApi()).apiKey.list();
  return (
    <>
      <h1>Account settings</h1>
      <p>
        <strong>{user.name}</strong> <span className="muted">{user.email}</span>
      </p>
      <h2>API keys</h2>
      <p className="muted">
        Use a key as <code>Authorization: Bearer &lt;key&gt;</code> on <code>/api/trpc</code> and the graph API. A key
        acts as you, with your roles in every workspace. Only a fingerprint is stored, so a key is shown once.
      </p>
      <ApiKeys keys={keys} />
    </>
  );
}

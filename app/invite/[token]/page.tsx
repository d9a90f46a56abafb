import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { getSessionUser } from "~/server/auth/session";
import { serverApi } from "../../_trpc/server";
import { AcceptInvitation } from "./accept-invitation";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const api = await serverApi();
  const preview = await api.invitation.preview({ token }).catch((e: unknown) => {
    if (e instanceof TRPCError) return { error: e.message };
    throw e;
  });
  if ("error" in preview) {
    return (
      <>
        <h1>Invitation</h1>
        <p role="alert" className="error">
          {preview.error}
        </p>
      </>
    );
  }
  const user = await getSessionUser();
  const here = `/invite/${token}`;
  return (
    <>
      <h1>Join {preview.workspaceName}</h1>
      <p>
        You are invited as <strong>{preview.role}</strong>
        {preview.email ? <> (invitation for {preview.email})</> : null}.
      </p>
      {user ? (
        <AcceptInvitation token={token} />
      ) : (
        <p>
          <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`}>Sign in</Link> or{" "}
          <Link href={`/signup?callbackUrl=${encodeURIComponent(here)}`}>create an account</Link> to accept.
        </p>
      )}
    </>
  );
}

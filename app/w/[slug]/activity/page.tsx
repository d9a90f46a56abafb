/** /w/:slug/activity — the workspace's activity feed (graphs imported and generated, comments, resolves), live. */
import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "~/server/auth/session";
import { serverApi } from "~/app/_trpc/server";
import { WorkspaceActivity } from "./workspace-activity";

export default async function WorkspaceActivityPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireUser(`/w/${slug}/activity`);
  const api = await serverApi();
  const workspace = await api.workspace.get({ slug }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  return (
    <>
      <p className="muted">
        <Link href={`/w/${slug}`}>{workspace.name}</Link> · <Link href="/activity">For you</Link>
      </p>
      <h1>Activity</h1>
      <WorkspaceActivity slug={slug} workspaceId={workspace.id} />
    </>
  );
}

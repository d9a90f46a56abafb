/** /w/:slug/labels — the workspace's label queue: one feature at a time, most influential unsettled first. */
import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { serverApi } from "~/app/_trpc/server";
import { requireUser } from "~/server/auth/session";
import { LabelQueue } from "./label-queue";

export default async function LabelQueuePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireUser(`/w/${slug}/labels`);
  const api = await serverApi();
  const workspace = await api.workspace.get({ slug }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  return (
    <>
      <p className="muted">
        <Link href={`/w/${slug}`}>{workspace.name}</Link>
      </p>
      <h1>Label queue</h1>
      <p className="muted">
        Keys: <kbd>1</kbd>–<kbd>9</kbd> vote for that label, <kbd>n</kbd> new label, <kbd>s</kbd> skip, <kbd>→</kbd>{" "}
        next.
      </p>
      <LabelQueue slug={slug} />
    </>
  );
}

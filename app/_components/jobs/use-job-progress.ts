"use client";
/**
 * A job's live state (phase, rows, fraction, time left) while it is queued or running. The ONE place the
 * browser learns about job progress: it polls job.get twice a second today and can switch to the live
 * channel (server/live) without its callers changing.
 */
import { useQuery } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "../../_trpc/react";
import { useLiveTopic } from "../live/live-provider";

export type LiveJob = RouterOutputs["job"]["get"];

export const isJobActive = (j: { status: string }) => j.status === "queued" || j.status === "running";

export function useJobProgress(jobId: string | undefined): LiveJob | undefined {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.job.get.queryOptions({ jobId: jobId ?? "" }),
    enabled: Boolean(jobId),
    refetchInterval: (query) => (query.state.data && !isJobActive(query.state.data) ? false : 2000),
  });
  const { refetch } = q;
  useLiveTopic(jobId ? `job:${jobId}` : null, () => void refetch());
  return q.data;
}

/** A workspace's job history, newest first, with filters (status, kind, mine) in the URL; 50 a page. */
import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "~/server/auth/session";
import { JOB_KIND_NAMES, JOB_STATUSES, type JobKind, type JobStatus } from "@circuitboard/shared/job-payload";
import { PhaseTrail } from "../../../_components/jobs/job-progress";
import { serverApi } from "../../../_trpc/server";

const pick = <T extends string>(v: string | undefined, allowed: readonly T[]) =>
  v && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;

export default async function JobHistoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { slug } = await params;
  const sp = await searchParams;
  await requireUser(`/w/${slug}/jobs`);
  const api = await serverApi();
  const status = pick<JobStatus>(sp.status, JOB_STATUSES);
  const kind = pick<JobKind>(sp.kind, JOB_KIND_NAMES);
  const isMine = sp.mine === "1";
  const cursor = sp.before && /^[A-Za-z0-9_-]{1,64}$/.test(sp.before) ? sp.before : undefined;
  const [workspace, jobs] = await Promise.all([
    api.workspace.get({ slug }),
    api.job.list({ slug, filters: { status, kind, isMine, cursor, limit: 50 } }),
  ]).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
  const next = new URLSearchParams({
    ...(status ? { status } : {}),
    ...(kind ? { kind } : {}),
    ...(isMine ? { mine: "1" } : {}),
    ...(jobs.length === 50 ? { before: jobs.at(-1)!.id } : {}),
  });
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        <Link href={`/w/${slug}`}>{workspace.name}</Link>
      </p>
      <h1>Jobs</h1>
      <form className="inline" role="search" aria-label="Filter jobs" method="get" style={{ margin: "1rem 0" }}>
        <label>
          Status
          <select name="status" defaultValue={status ?? ""}>
            <option value="">any</option>
            {JOB_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select name="kind" defaultValue={kind ?? ""}>
            <option value="">any</option>
            {JOB_KIND_NAMES.filter((k) => k !== "preview").map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" name="mine" value="1" defaultChecked={isMine} /> Mine only
        </label>
        <button type="submit" className="secondary">
          Apply
        </button>
      </form>
      {jobs.length === 0 ? (
        <p className="muted">No jobs match.</p>
      ) : (
        <table aria-label="Job history">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Prompt</th>
              <th>Model</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Created</th>
              <th>Took</th>
              <th>Phases</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={j.id}>
                <td>
                  <span className="badge">{j.kind}</span>
                </td>
                <td style={{ maxWidth: 320, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
                  {j.graphId ? <Link href={`/g/${j.graphId}`}>{j.prompt}</Link> : j.prompt}
                </td>
                <td>{j.modelId}</td>
                <td>
                  <span className={j.status === "failed" ? "error" : undefined} title={j.error ?? undefined}>
                    {j.status}
                    {j.status === "running" && ` (${j.phase} ${Math.round(j.progress * 100)}%)`}
                    {j.errorCode && ` · ${j.errorCode}`}
                  </span>
                </td>
                <td>
                  {j.attempts}/{j.maxAttempts}
                </td>
                <td>{j.createdAt.toISOString().replace("T", " ").slice(0, 16)}</td>
                <td>
                  {j.startedAt && j.finishedAt
                    ? `${((j.finishedAt.getTime() - j.startedAt.getTime()) / 1000).toFixed(1)} s`
                    : ""}
                </td>
                <td>
                  <PhaseTrail phases={j.phases} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {jobs.length === 50 && (
        <p>
          <Link href={`/w/${slug}/jobs?${next.toString()}`}>Older jobs →</Link>
        </p>
      )}
    </>
  );
}

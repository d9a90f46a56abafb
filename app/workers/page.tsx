/**
 * The fleet, for site admins (ADMIN_EMAILS): every worker the app has seen (name of its token, device,
 * models, kinds, current job, last seen) and the named worker tokens (create, shown once; revoke).
 * Anyone else gets a 404, as for anything they may not see.
 */
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { requireUser } from "~/server/auth/session";
import { serverApi } from "../_trpc/server";
import { WorkerTokens } from "./worker-tokens";

export default async function WorkersPage() {
  await requireUser("/workers");
  const api = await serverApi();
  const [workers, tokens] = await Promise.all([api.worker.list(), api.worker.tokens()]).catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === "FORBIDDEN") notFound();
    throw e;
  });
  return (
    <>
      <h1>Workers</h1>
      {workers.length === 0 ? (
        <p className="muted">No worker has connected yet.</p>
      ) : (
        <table aria-label="Workers">
          <thead>
            <tr>
              <th>Worker</th>
              <th>Token</th>
              <th>Device</th>
              <th>Models</th>
              <th>Current job</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((w) => (
              <tr key={w.id}>
                <td>
                  {w.id}{" "}
                  {w.isOnline ? <span className="badge ok">online</span> : <span className="badge">offline</span>}
                </td>
                <td>
                  {w.tokenName}
                  {w.isTokenRevoked && <span className="badge error"> revoked</span>}
                </td>
                <td>{w.device}</td>
                <td>{w.models.join(", ")}</td>
                <td>
                  {w.currentJob
                    ? `${w.currentJob.kind} · ${w.currentJob.phase} ${Math.round(w.currentJob.progress * 100)}%`
                    : "idle"}
                </td>
                <td>{w.lastSeenAt.toISOString().replace("T", " ").slice(0, 19)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Worker tokens</h2>
      <p className="muted">
        Give each worker machine its own token (<code>WORKER_TOKEN=cbw_…</code>): a leaked one is revoked alone. The
        bootstrap <code>WORKER_TOKEN</code> of the app keeps working for the worker <code>npm start</code> runs.
      </p>
      <WorkerTokens tokens={tokens} />
    </>
  );
}

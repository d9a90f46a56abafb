/**
 * Interventions on a graph's prompt (ablate / scale by k / clamp features, at all or chosen positions):
 * run as an "intervene" job on a worker serving the graph's model, saved with the graph (listed, and
 * opened by URL by whoever can read the graph). The result lives on the job (resultJson).
 */
import { randomBytes } from "node:crypto";
import { authorizeGraph } from "../authz/graph-access";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { assertModelServed, enqueueJob, presentJob } from "../jobs/jobs";
import { ZJobPayloadSchema, type TIntervenePayload } from "@circuitboard/shared/job-payload";
import { ZInterveneResultSchema, type TInterveneResult } from "@circuitboard/shared/jobs/job-results";
import type { Actor } from "../authz/actor";

export type TInterventionRequest = Pick<TIntervenePayload, "targets" | "op" | "value" | "mode" | "topK" | "nGenerate">;

/** The model and prompt a graph was generated from: its job's, else the graph's own metadata. */
async function sourceOf(db: Db, graph: { id: string; modelId: string; prompt: string }) {
  const job = await db.job.findFirst({
    where: { graphId: graph.id, kind: "attribute" },
    select: { modelId: true, payload: true },
  });
  if (job) {
    const payload = ZJobPayloadSchema.safeParse(JSON.parse(job.payload));
    if (payload.success && payload.data.kind === "attribute")
      return { modelId: job.modelId, prompt: payload.data.prompt };
  }
  return { modelId: graph.modelId, prompt: graph.prompt };
}

export async function createIntervention(
  db: Db,
  o: { actor: Actor; graphId: string; name?: string } & TInterventionRequest,
) {
  const { graph, workspace } = await authorizeGraph(db, o.actor.id, o.graphId, "intervention.create");
  const source = await sourceOf(db, graph);
  if (!source.modelId)
    throw new AppError("BAD_REQUEST", "graphId: the graph names no model to run the intervention on");
  await assertModelServed(db, source.modelId).catch(() => {
    throw new AppError("BAD_REQUEST", `graphId: no worker currently serves this graph's model "${source.modelId}"`);
  });
  const job = await enqueueJob(db, {
    isQuotaCounted: true,
    payload: {
      v: 1,
      kind: "intervene",
      graphId: graph.id,
      prompt: source.prompt,
      targets: o.targets,
      op: o.op,
      value: o.value,
      mode: o.mode,
      topK: o.topK,
      nGenerate: o.nGenerate,
    },
    modelId: source.modelId,
    workspaceId: workspace.id,
    createdById: o.actor.id,
  });
  const row = await db.intervention.create({
    data: {
      id: randomBytes(12).toString("base64url"),
      graphId: graph.id,
      jobId: job.id,
      createdById: o.actor.id,
      name: (o.name ?? "").trim().slice(0, 120),
      spec: JSON.stringify({ targets: o.targets, op: o.op, value: o.value, mode: o.mode }),
    },
  });
  return { id: row.id, jobId: job.id };
}

type Row = Awaited<ReturnType<typeof loadRows>>[number];
const loadRows = (db: Db, where: { graphId?: string; id?: string }) =>
  db.intervention.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { job: true, createdBy: { select: { name: true } } },
  });

function present(r: Row) {
  const job = presentJob(r.job);
  let result: TInterveneResult | null = null;
  if (r.job.resultJson) {
    const parsed = ZInterveneResultSchema.safeParse(JSON.parse(r.job.resultJson));
    if (parsed.success) result = parsed.data;
  }
  return {
    id: r.id,
    graphId: r.graphId,
    name: r.name,
    spec: JSON.parse(r.spec) as Pick<TIntervenePayload, "targets" | "op" | "value" | "mode">,
    createdBy: r.createdBy.name,
    createdAt: r.createdAt,
    job: { id: job.id, status: job.status, phase: job.phase, progress: job.progress, error: job.error },
    result,
  };
}

export async function listInterventions(db: Db, o: { actor: Actor | null; graphId: string }) {
  await authorizeGraph(db, o.actor?.id ?? null, o.graphId, "graph.read");
  return (await loadRows(db, { graphId: o.graphId })).map(present);
}

export async function getIntervention(db: Db, o: { actor: Actor | null; interventionId: string }) {
  const [row] = await loadRows(db, { id: o.interventionId });
  if (!row) throw new AppError("NOT_FOUND", "Intervention not found");
  await authorizeGraph(db, o.actor?.id ?? null, row.graphId, "graph.read"); // NOT_FOUND when the graph is not readable
  return present(row);
}

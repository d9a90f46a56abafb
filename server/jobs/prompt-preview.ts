/**
 * The prompt box's preview, while the user types:
 *   tokenizePrompt     the tokens as chips, computed here from the tokenizer the worker announced with its
 *                      model (no worker round trip), with warnings (trailing space, too long, unknown characters)
 *   previewNextTokens  the model's top next tokens: a "preview" job (highest priority, answered by a worker's
 *                      preview lane even while it runs a long graph), waited for up to JOB_PREVIEW_WAIT_MS; when
 *                      no worker answers in time the answer is "busy". Preview jobs count in no quota and are
 *                      deleted once read.
 */
import type { Db } from "../db/client";
import { authorizeWorkspace } from "../authz/workspace-access";
import { env } from "../env";
import { AppError } from "../errors";
import type { BlobStore } from "../storage/blob-store";
import type { Actor } from "../authz/actor";
import { ZPreviewResultSchema, type TTokenProb } from "@circuitboard/shared/jobs/job-results";
import { openTokenizer, type OpenedTokenizer } from "@circuitboard/shared/tokens/open-tokenizer";
import { waitForFinish } from "./job-events";
import { assertModelServed, enqueueJob } from "./jobs";
import { tokenizerKey } from "./tokenizers";

/** Previews one user may have waiting at once (typing fast queues at most this many). */
const MAX_PENDING_PREVIEWS_PER_USER = 3;

const cache = new Map<string, Promise<OpenedTokenizer | null>>();

async function tokenizerFor(store: BlobStore, hash: string): Promise<OpenedTokenizer | null> {
  if (!hash) return null;
  let t = cache.get(hash);
  if (!t) {
    t = store
      .get(tokenizerKey(hash))
      .then((bytes) => (bytes ? openTokenizer(Buffer.from(bytes).toString("utf8")) : null));
    cache.set(hash, t);
    void t.then((v) => v ?? cache.delete(hash)).catch(() => cache.delete(hash)); // retry a missing one later
  }
  return t;
}

export interface PromptToken {
  id: number;
  text: string;
  isSpecial: boolean;
  /** The token the model adds in front of the prompt (BOS), not typed by the user. */
  isBos: boolean;
  isUnknown: boolean;
}

export type PromptWarning = "trailing-space" | "too-long" | "unknown-characters";

export async function tokenizePrompt(db: Db, store: BlobStore, o: { modelId: string; prompt: string }) {
  const model = await assertModelServed(db, o.modelId);
  const tokenizer = await tokenizerFor(store, model.tokenizerHash);
  if (!tokenizer) return { tokens: null, warnings: [] as PromptWarning[], maxTokens: model.maxTokens };
  const ids = tokenizer.encode(o.prompt);
  const needsBos = model.bosTokenId !== null && !(ids.length > 0 && tokenizer.specialIds.has(ids[0]!));
  const all = needsBos ? [model.bosTokenId!, ...ids] : ids;
  const tokens: PromptToken[] = all.map((id, i) => {
    const text = tokenizer.decodeOne(id);
    return {
      id,
      text,
      isSpecial: tokenizer.specialIds.has(id),
      isBos: needsBos && i === 0,
      isUnknown: id === tokenizer.unkId || text.includes("\uFFFD"),
    };
  });
  const warnings: PromptWarning[] = [];
  if (/[ \t]$/.test(o.prompt)) warnings.push("trailing-space");
  if (model.maxTokens > 0 && tokens.length > model.maxTokens) warnings.push("too-long");
  if (tokens.some((t) => t.isUnknown)) warnings.push("unknown-characters");
  return { tokens, warnings, maxTokens: model.maxTokens };
}

export type NextTokensPreview =
  | { status: "ok"; tokenIds: number[]; top: TTokenProb[]; elapsedMs: number }
  | { status: "busy" }
  | { status: "failed"; message: string };

export async function previewNextTokens(
  db: Db,
  o: { actor: Actor; slug: string; modelId: string; prompt: string; topK: number },
): Promise<NextTokensPreview> {
  const started = performance.now();
  const { workspace } = await authorizeWorkspace(db, o.actor.id, { slug: o.slug }, "graph.create");
  await assertModelServed(db, o.modelId);
  const pending = await db.job.count({
    where: { createdById: o.actor.id, kind: "preview", status: { in: ["queued", "running"] } },
  });
  if (pending >= MAX_PENDING_PREVIEWS_PER_USER) {
    throw new AppError("TOO_MANY_REQUESTS", `${pending} previews are still waiting for a worker; try again shortly`);
  }
  const { id } = await enqueueJob(db, {
    payload: { v: 1, kind: "preview", prompt: o.prompt, topK: o.topK },
    modelId: o.modelId,
    workspaceId: workspace.id,
    createdById: o.actor.id,
    maxAttempts: 1,
  });
  const deadline = Date.now() + env().JOB_PREVIEW_WAIT_MS;
  try {
    for (;;) {
      const job = await db.job.findUnique({ where: { id }, select: { status: true, resultJson: true, error: true } });
      if (job?.status === "done" && job.resultJson) {
        const result = ZPreviewResultSchema.parse(JSON.parse(job.resultJson));
        return {
          status: "ok",
          tokenIds: result.tokenIds,
          top: result.top,
          elapsedMs: Math.round(performance.now() - started),
        };
      }
      if (job?.status === "failed") return { status: "failed", message: job.error ?? "the preview failed" };
      if (Date.now() >= deadline) return { status: "busy" };
      await waitForFinish(id, Math.min(100, deadline - Date.now()));
    }
  } finally {
    await db.job.deleteMany({ where: { id } }); // not kept, answered or not
  }
}

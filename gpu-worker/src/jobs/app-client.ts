/**
 * The worker's side of the app's worker API (/api/worker/*), over plain fetch with a worker token.
 * Every call validates what comes back; a 409 means "this job is no longer yours" (cancelled, or
 * re-assigned after a lost lease) and is its own error; a 401 (wrong or revoked token) is another.
 */
import { ZJobPayloadSchema, type JobKind } from "@circuitboard/shared/job-payload";
import type { JobErrorCode } from "@circuitboard/shared/jobs/job-errors";
import type { TJobProgress } from "@circuitboard/shared/jobs/job-progress";
import { z } from "zod";

export interface AnnouncedModel {
  id: string;
  description: string;
  nLayers: number;
  maxTokens: number;
  tokenizerHash?: string;
  bosTokenId?: number | null;
}

const ZClaimedJob = z.object({
  job: z.object({
    id: z.string(),
    kind: z.string(),
    modelId: z.string(),
    attempt: z.number(),
    leaseSeconds: z.number(),
    // Validated per kind, so a payload this worker cannot read fails the job as UNSUPPORTED, not the claim.
    payload: z.unknown(),
  }),
  /** The app's upload limit: the largest result or part this worker may send (absent: an older app). */
  maxUploadBytes: z.number().int().positive().optional(),
});
export interface ClaimedJob {
  id: string;
  kind: string;
  modelId: string;
  attempt: number;
  leaseSeconds: number;
  payload: unknown;
  maxUploadBytes?: number;
}
export { ZJobPayloadSchema };

/** The app says the job was cancelled or re-assigned: stop working on it, report nothing. */
export class JobLostError extends Error {}
/** The app refuses this worker's token (wrong or revoked). */
export class WorkerUnauthorizedError extends Error {}

export interface ClaimRequest {
  models: AnnouncedModel[];
  kinds: JobKind[];
  device: string;
  waitMs: number;
  lane: "main" | "preview";
}

export class AppClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    readonly workerId: string,
  ) {}

  private async post(
    path: string,
    body: BodyInit,
    contentType = "application/json",
    signal?: AbortSignal,
  ): Promise<Response> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": contentType },
      body,
      ...(signal ? { signal } : {}),
    });
    if (res.status === 409) throw new JobLostError(await res.text());
    if (res.status === 401) throw new WorkerUnauthorizedError(`${path}: HTTP 401 ${(await res.text()).slice(0, 300)}`);
    if (!res.ok) {
      const text = await res.text();
      throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
    }
    return res;
  }

  private json(o: object): string {
    return JSON.stringify({ workerId: this.workerId, ...o });
  }

  /** `signal` aborts a long poll (on shutdown). */
  async claim(r: ClaimRequest, signal?: AbortSignal): Promise<ClaimedJob | null> {
    const res = await this.post("/api/worker/claim", this.json(r), "application/json", signal);
    if (res.status === 204) return null;
    const { job, maxUploadBytes } = ZClaimedJob.parse(await res.json());
    return { ...job, ...(maxUploadBytes ? { maxUploadBytes } : {}) };
  }

  async heartbeat(jobId: string): Promise<void> {
    await this.post(`/api/worker/jobs/${jobId}/heartbeat`, this.json({}));
  }

  async progress(jobId: string, p: TJobProgress): Promise<void> {
    await this.post(`/api/worker/jobs/${jobId}/progress`, this.json(p));
  }

  async complete(jobId: string, body: string | Uint8Array, contentType: string): Promise<{ graphId?: string }> {
    const res = await this.post(
      `/api/worker/jobs/${jobId}/complete?workerId=${encodeURIComponent(this.workerId)}`,
      body as BodyInit,
      contentType,
    );
    return z.object({ graphId: z.string().optional() }).parse(await res.json());
  }

  /** One part of a multi-part result (a dashboards job's layer), stored by the app before completion. */
  async uploadPart(jobId: string, name: string, body: Uint8Array): Promise<void> {
    const path = `/api/worker/jobs/${jobId}/parts/${encodeURIComponent(name)}?workerId=${encodeURIComponent(this.workerId)}`;
    // A part is idempotent (same name, same bytes, overwritten): a dropped connection (a keep-alive socket
    // the server closed as it was reused, "fetch failed") is retried rather than failing a long job.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.post(path, body as BodyInit, "application/octet-stream");
        return;
      } catch (e) {
        const isNetwork = e instanceof TypeError && /fetch failed/.test(e.message);
        if (!isNetwork || attempt >= 3) throw e;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  async fail(jobId: string, code: JobErrorCode, error: string): Promise<void> {
    await this.post(`/api/worker/jobs/${jobId}/fail`, this.json({ code, error: error.slice(0, 4000) }));
  }

  /** Sends the model's tokenizer.json once (the app keeps it by hash) so the app can show prompt tokens. */
  async uploadTokenizer(hash: string, tokenizerJson: Uint8Array): Promise<"stored" | "present"> {
    const head = await fetch(new URL(`/api/worker/tokenizers/${hash}`, this.baseUrl), {
      headers: { authorization: `Bearer ${this.token}` },
    });
    if (head.status === 204) return "present";
    if (head.status !== 404)
      throw new Error(`tokenizer check: HTTP ${head.status} ${(await head.text()).slice(0, 300)}`);
    await this.post(`/api/worker/tokenizers/${hash}`, tokenizerJson as BodyInit, "application/json");
    return "stored";
  }
}

/**
 * The worker's side of the app's worker API (/api/worker/*), over plain fetch with the worker token.
 * Every call validates what comes back; a 409 means "this job is no longer yours" and is its own error.
 */
import { ZAttributePayloadSchema } from "@circuitboard/shared/job-payload";
import { z } from "zod";

export interface AnnouncedModel {
  id: string;
  description: string;
  nLayers: number;
  maxTokens: number;
}

const ZClaimedJob = z.object({
  job: z.object({
    id: z.string(),
    modelId: z.string(),
    attempt: z.number(),
    leaseSeconds: z.number(),
    payload: ZAttributePayloadSchema,
  }),
});
export type ClaimedJob = z.infer<typeof ZClaimedJob>["job"];

/** The app says the job was cancelled or re-assigned: stop working on it, report nothing. */
export class JobLostError extends Error {}

export class AppClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    readonly workerId: string,
  ) {}

  private async post(path: string, body: BodyInit, contentType = "application/json"): Promise<Response> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": contentType },
      body,
    });
    if (res.status === 409) throw new JobLostError(await res.text());
    if (!res.ok) {
      const text = await res.text();
      throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
    }
    return res;
  }

  async claim(models: AnnouncedModel[]): Promise<ClaimedJob | null> {
    const res = await this.post("/api/worker/claim", JSON.stringify({ workerId: this.workerId, models }));
    if (res.status === 204) return null;
    return ZClaimedJob.parse(await res.json()).job;
  }

  async heartbeat(jobId: string, phase: string, progress: number): Promise<void> {
    await this.post(
      `/api/worker/jobs/${jobId}/heartbeat`,
      JSON.stringify({ workerId: this.workerId, phase, progress }),
    );
  }

  async complete(jobId: string, graphJson: string): Promise<{ graphId: string }> {
    const res = await this.post(
      `/api/worker/jobs/${jobId}/complete?workerId=${encodeURIComponent(this.workerId)}`,
      graphJson,
    );
    return z.object({ graphId: z.string() }).parse(await res.json());
  }

  async fail(jobId: string, error: string, isRetryable: boolean): Promise<void> {
    await this.post(
      `/api/worker/jobs/${jobId}/fail`,
      JSON.stringify({ workerId: this.workerId, error: error.slice(0, 4000), isRetryable }),
    );
  }
}

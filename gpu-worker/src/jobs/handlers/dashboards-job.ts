/**
 * Kind "dashboards": feature dashboards of the served transcoder set over a named corpus (the code of
 * `worker dashboards`, features/), sent to the app as it goes: each layer's records, in the dashboard
 * file layout (a 4-byte length, then gzip JSON, per feature), are uploaded as one part, or several when a
 * layer exceeds the app's upload limit; the completion body is the manifest indexing them. Nothing is
 * written to this machine's disk, so a worker on another machine works the same.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { ZDashboardsPayloadSchema } from "@circuitboard/shared/job-payload";
import type { TDashboardManifest } from "@circuitboard/shared/jobs/dashboard-manifest";
import { deriveGraphIdentity } from "@circuitboard/shared/graph-format/graph-identity";
import type { TGraphMetadata } from "@circuitboard/shared/graph-format/graph-metadata-schema";
import { buildFeatureDashboards } from "../../features/build-feature-dashboards";
import { corpusWindows, readCorpusDocuments } from "../../features/corpus-windows";
import { DASHBOARD_FORMAT } from "../../features/dashboard-files";
import type { FeatureDashboard } from "../../features/feature-dashboard";
import { JobError } from "../job-error";
import { throwIfAborted, type JobHandler } from "../job-handler";

/** Corpora a job may name: `<name>.jsonl` in the worker's assets (the demo's held-out text is "kjv-heldout"). */
const CORPUS_DIR = fileURLToPath(new URL("../../../assets/", import.meta.url));
const CORPUS_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const WINDOW_TOKENS = 64;
const DEFAULT_MAX_WINDOWS = 2048;

export function corpusPath(name: string): string {
  if (!CORPUS_NAME.test(name) || name.includes(".."))
    throw new JobError("BAD_INPUT", `corpus: "${name.slice(0, 60)}" is not a corpus name (letters, digits, . _ -)`);
  const path = `${CORPUS_DIR}${name}.jsonl`;
  if (!existsSync(path)) throw new JobError("UNSUPPORTED", `corpus: this worker has no corpus "${name}" (${path})`);
  return path;
}

/** One record in the layer file's form: a 4-byte little-endian length, then gzip JSON. */
function encodeRecord(record: FeatureDashboard): Buffer {
  const body = gzipSync(JSON.stringify(record));
  const out = Buffer.alloc(4 + body.length);
  out.writeUInt32LE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** Splits a layer's encoded records into parts of at most `maxBytes`, each with its own offsets. */
export function splitLayer(layer: number, encoded: Buffer[], maxBytes: number) {
  const parts: { name: string; firstFeature: number; offsets: number[]; chunks: Buffer[] }[] = [];
  let current: (typeof parts)[number] | null = null;
  let size = 0;
  encoded.forEach((record, feature) => {
    if (record.length > maxBytes)
      throw new JobError(
        "INTERNAL",
        `layer ${layer} feature ${feature}: a ${record.length}-byte record exceeds the ${maxBytes}-byte upload limit`,
      );
    if (!current || size + record.length > maxBytes) {
      current = { name: "", firstFeature: feature, offsets: [0], chunks: [] };
      parts.push(current);
      size = 0;
    }
    current.chunks.push(record);
    size += record.length;
    current.offsets.push(size);
  });
  parts.forEach((p, k) => (p.name = parts.length === 1 ? `layer_${layer}.bin` : `layer_${layer}_part_${k}.bin`));
  return parts;
}

export const dashboardsJob: JobHandler<typeof ZDashboardsPayloadSchema> = {
  kind: "dashboards",
  schema: ZDashboardsPayloadSchema,
  phasePlan: { "dashboards pass 1": [0, 0.6], "dashboards pass 2": [0.6, 0.95], uploading: [0.95, 1] },
  async run(payload, ctx) {
    const { model, tokenizer, transcoders: set, engine } = ctx.loaded;
    const transcoderSetId = deriveGraphIdentity({ scan: set.scan } as TGraphMetadata, {
      modelId: ctx.modelId,
    }).transcoderSetId;
    if (payload.transcoderSetId && payload.transcoderSetId !== transcoderSetId)
      throw new JobError(
        "UNSUPPORTED",
        `transcoderSetId: this worker serves "${transcoderSetId}", not "${payload.transcoderSetId}"`,
      );
    const wanted = payload.layers ? new Set(payload.layers) : null;
    for (const l of wanted ?? [])
      if (l >= set.n_layers) throw new JobError("BAD_INPUT", `layers: ${l} outside the set's 0–${set.n_layers - 1}`);
    const documents = readCorpusDocuments(corpusPath(payload.corpus));
    const windows = corpusWindows(
      payload.maxDocs ? documents.slice(0, payload.maxDocs) : documents,
      tokenizer,
      model.config,
      { windowTokens: WINDOW_TOKENS, maxWindows: payload.maxWindows ?? DEFAULT_MAX_WINDOWS },
    );
    ctx.log(
      `dashboards: ${windows.length} windows × ${WINDOW_TOKENS} tokens of "${payload.corpus}", ${set.n_layers} layers × ${set.d_transcoder} features`,
    );
    const layers: TDashboardManifest["layers"] = [];
    let uploadedBytes = 0;
    const summary = await buildFeatureDashboards(
      engine,
      model,
      set,
      windows,
      (id) => tokenizer.decodeOne(id),
      {
        onProgress: (p) => {
          throwIfAborted(ctx.signal);
          ctx.report(p.phase.startsWith("dashboards pass 2") ? "dashboards pass 2" : p.phase, p.done, p.total);
        },
        log: ctx.log,
      },
      async (layer, records) => {
        throwIfAborted(ctx.signal);
        if (wanted && !wanted.has(layer)) return;
        const parts = splitLayer(layer, records.map(encodeRecord), ctx.maxPartBytes);
        for (const part of parts) {
          const body = Buffer.concat(part.chunks);
          await ctx.uploadPart(part.name, body);
          uploadedBytes += body.length;
        }
        layers.push({
          layer,
          parts: parts.map(({ name, firstFeature, offsets }) => ({ name, firstFeature, offsets })),
        });
      },
    );
    ctx.log(`dashboards: uploaded ${layers.length} layers, ${(uploadedBytes / 2 ** 20).toFixed(1)} MiB`);
    const manifest: TDashboardManifest = {
      format: DASHBOARD_FORMAT,
      transcoderSetId,
      nLayers: set.n_layers,
      dTranscoder: set.d_transcoder,
      layers,
      metadata: {
        corpus: payload.corpus,
        window_tokens: WINDOW_TOKENS,
        n_windows: summary.n_windows,
        n_tokens_per_layer: summary.n_tokens,
        layers: summary.layers,
        engine: engine.name,
        logit_method:
          "c(sum of decoder rows) · (ln_f weight ⊙ W_U); c = mean-centring for LayerNorm; final-norm denominator, biases and softcap left out",
        created_at: new Date().toISOString(),
      },
    };
    return { body: JSON.stringify(manifest), contentType: "application/json" };
  },
};

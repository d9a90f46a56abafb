/**
 * `worker serve --model DIR --transcoders DIR [--model-id ID] [--app URL] [--device auto|cpu|webgpu|cuda]
 *    [--poll-ms N] [--grace-seconds N] [--no-preview-lane]`
 * Connects to the app (CIRCUITBOARD_URL, WORKER_TOKEN) and runs its queue's jobs until SIGTERM: a running
 * job gets the grace period to finish, then is released; a second SIGTERM releases it at once.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "@circuitboard/shared/log";
import { parseDeviceChoice } from "../engine/onnx/select-device";
import { workerEnv } from "../env";
import { loadWorkerModel } from "../generate-graph";
import { ensureBos } from "../models/load-tokenizer";
import { AppClient } from "./app-client";
import { runWorkerLoop } from "./worker-loop";

export async function serveCommand(argv: string[]): Promise<number> {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      transcoders: { type: "string" },
      "model-id": { type: "string" },
      app: { type: "string" },
      device: { type: "string" },
      "poll-ms": { type: "string" },
      "grace-seconds": { type: "string" },
      "no-preview-lane": { type: "boolean" },
    },
  });
  if (!a.model || !a.transcoders) throw new Error("serve needs --model DIR and --transcoders DIR");
  const env = workerEnv();
  if (!env.WORKER_TOKEN) throw new Error("serve needs WORKER_TOKEN (a worker token from the app) in the environment");
  const device = a.device === undefined ? env.WORKER_DEVICE : parseDeviceChoice(a.device);
  const graceSeconds = Number(a["grace-seconds"] ?? env.WORKER_GRACE_SECONDS);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0)
    throw new Error(`--grace-seconds: expected a number ≥ 0, got "${a["grace-seconds"]}"`);
  const logger = createLogger({ name: "worker", level: env.LOG_LEVEL, format: env.LOG_FORMAT }).child({
    workerId: env.WORKER_ID,
  });
  const log = (line: string) => logger.info(line);

  const loaded = await loadWorkerModel({
    modelDir: a.model,
    transcodersDir: a.transcoders,
    engine: "onnx",
    device,
    log,
  });
  const c = loaded.model.config;
  const tokenizerJson = readFileSync(join(a.model, "tokenizer.json"));
  const tokenizerHash = createHash("sha256").update(tokenizerJson).digest("hex");
  const model = {
    id: a["model-id"] ?? basename(a.model.replace(/\/+$/, "")),
    description: `${c.architecture}, ${c.n_layers} layers, d_model ${c.d_model}; ${loaded.transcoders.kind} transcoders`,
    nLayers: c.n_layers,
    maxTokens: c.n_ctx ?? 0,
    tokenizerHash,
    bosTokenId: ensureBos([], loaded.tokenizer, c)[0] ?? null,
  };
  const client = new AppClient(a.app ?? env.CIRCUITBOARD_URL, env.WORKER_TOKEN, env.WORKER_ID);
  // The app shows prompt tokens with this tokenizer; sent once per tokenizer (the app keeps it by hash).
  client
    .uploadTokenizer(tokenizerHash, tokenizerJson)
    .then((r) =>
      log(`tokenizer ${tokenizerHash.slice(0, 12)}: ${r === "stored" ? "sent to the app" : "the app has it"}`),
    )
    .catch((e: unknown) =>
      log(`could not send the tokenizer (prompt preview shows no tokens): ${(e as Error).message}`),
    );

  let stop!: () => void, stopNow!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const stoppedNow = new Promise<void>((resolve) => (stopNow = resolve));
  let signals = 0;
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (++signals === 1 ? stop() : stopNow()));
  try {
    await runWorkerLoop({
      client,
      loaded,
      model,
      device: loaded.engine.name,
      idlePollMs: Number(a["poll-ms"] ?? 2000),
      graceMs: graceSeconds * 1000,
      logger,
      stopped,
      stoppedNow,
      ...(a["no-preview-lane"] ? { hasPreviewLane: false } : {}),
    });
  } finally {
    await loaded.engine.dispose();
  }
  return 0;
}

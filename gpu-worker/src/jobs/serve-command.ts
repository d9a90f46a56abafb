/**
 * `worker serve --model DIR --transcoders DIR [--model-id ID] [--app URL] [--device auto|cpu|webgpu|cuda]`
 * Connects to the app (CIRCUITBOARD_URL, WORKER_TOKEN) and generates graphs for its queue until SIGTERM.
 */
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "@circuitboard/shared/log";
import { parseDeviceChoice } from "../engine/onnx/select-device";
import { workerEnv } from "../env";
import { loadWorkerModel } from "../generate-graph";
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
    },
  });
  if (!a.model || !a.transcoders) throw new Error("serve needs --model DIR and --transcoders DIR");
  const env = workerEnv();
  if (!env.WORKER_TOKEN) throw new Error("serve needs WORKER_TOKEN (the app's worker token) in the environment");
  const device = a.device === undefined ? env.WORKER_DEVICE : parseDeviceChoice(a.device);
  const logger = createLogger({ name: "worker", level: env.LOG_LEVEL, format: env.LOG_FORMAT }).child({
    workerId: env.WORKER_ID,
  });

  const loaded = await loadWorkerModel({
    modelDir: a.model,
    transcodersDir: a.transcoders,
    engine: "onnx",
    device,
    log: (line) => logger.info(line),
  });
  const c = loaded.model.config;
  const model = {
    id: a["model-id"] ?? basename(a.model.replace(/\/+$/, "")),
    description: `${c.architecture}, ${c.n_layers} layers, d_model ${c.d_model}; ${loaded.transcoders.kind} transcoders`,
    nLayers: c.n_layers,
    maxTokens: c.n_ctx ?? 0,
  };
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop());
  try {
    await runWorkerLoop({
      client: new AppClient(a.app ?? env.CIRCUITBOARD_URL, env.WORKER_TOKEN, env.WORKER_ID),
      loaded,
      model,
      idlePollMs: Number(a["poll-ms"] ?? 2000),
      logger,
      stopped,
    });
  } finally {
    await loaded.engine.dispose();
  }
  return 0;
}

import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_ATTRIBUTE_OPTIONS } from "./engine/attribution/attribute";
import { parseDeviceChoice } from "./engine/onnx/select-device";
import { workerEnv } from "./env";
import { generateGraph, graphFileText, loadWorkerModel } from "./generate-graph";
import { adjacencyDump } from "./output/adjacency-dump";
import { createProgressBar } from "./progress-bar";

/**
 * Command line of the GPU worker (issue 4):
 *   attribute --model DIR --transcoders DIR --prompt "…" --out FILE [options]
 *   serve --model DIR --transcoders DIR [--model-id ID] [--app URL]   (the job loop; see jobs/serve-command.ts)
 * Progress and logs go to stderr; the graph JSON goes to --out.
 */
const USAGE = `usage: worker serve --model DIR --transcoders DIR [--model-id ID] [--app URL] [--device auto|cpu|webgpu|cuda]
         (generate graphs for the app's queue; needs WORKER_TOKEN, CIRCUITBOARD_URL)
       worker dashboards --model DIR --transcoders DIR --corpus FILE --out DIR [options]   (feature dashboards; --help)
       worker intervene --model DIR --transcoders DIR --prompt TEXT [--set L:P:F=V] [--ablate L:P:F] [options]   (JSON; --help)
       worker attribute --model DIR --transcoders DIR --prompt TEXT --out FILE [options]
  --max-n-logits N          logit targets at most (default 10)
  --desired-logit-prob P    cumulative probability the targets should reach (default 0.95)
  --batch-size B            attribution rows per adjoint pass (default 256)
  --max-feature-nodes M     features that get their own rows (default 7500; "all" for every active feature)
  --node-threshold X        pruning: share of node influence kept (default 0.8)
  --edge-threshold X        pruning: share of edge score kept (default 0.98)
  --device auto|cpu|webgpu|cuda   execution provider (default $WORKER_DEVICE, else auto: CUDA when its
                            library loads, else WebGPU when a Vulkan adapter starts, else CPU)
  --engine onnx|reference   onnx (default) or the slow float64 reference, for verification
  --slug NAME               graph slug (default: the --out file name without .json)
  --scan ID                 metadata.scan (default: the transcoder set's scan)
  --dump-adjacency FILE     also write the unpruned rows as JSON {tokens, nodes, targets, adjacency}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "serve") return (await import("./jobs/serve-command")).serveCommand(rest);
  if (command === "dashboards") return (await import("./features/dashboards-command")).dashboardsCommand(rest);
  if (command === "intervene") return (await import("./interventions/intervene-command")).interveneCommand(rest);
  if (command !== "attribute") {
    process.stderr.write(`${USAGE}\n`);
    return command === "--help" || command === "-h" ? 0 : 2;
  }
  const { values: a } = parseArgs({
    args: rest,
    options: {
      model: { type: "string" },
      transcoders: { type: "string" },
      prompt: { type: "string" },
      out: { type: "string" },
      "max-n-logits": { type: "string" },
      "desired-logit-prob": { type: "string" },
      "batch-size": { type: "string" },
      "max-feature-nodes": { type: "string" },
      "node-threshold": { type: "string" },
      "edge-threshold": { type: "string" },
      device: { type: "string" },
      engine: { type: "string" },
      slug: { type: "string" },
      scan: { type: "string" },
      "dump-adjacency": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (a.help) return (process.stderr.write(`${USAGE}\n`), 0);
  for (const key of ["model", "transcoders", "prompt", "out"] as const) {
    if (!a[key]) throw new Error(`missing --${key}\n${USAGE}`);
  }
  const number = (key: keyof typeof a, fallback: number, check: (v: number) => boolean, expected: string): number => {
    const raw = a[key];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!check(v)) throw new Error(`--${key}: expected ${expected}, got "${raw}"`);
    return v;
  };
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  const unit = (v: number) => v >= 0 && v <= 1;
  const device = parseDeviceChoice(a.device ?? workerEnv().WORKER_DEVICE);
  const engine = a.engine ?? "onnx";
  if (engine !== "onnx" && engine !== "reference")
    throw new Error(`--engine: expected onnx or reference, got "${engine}"`);
  const maxFeatureNodes =
    a["max-feature-nodes"] === "all"
      ? null
      : number("max-feature-nodes", 7500, positiveInt, "a positive integer or all");
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const bar = createProgressBar();

  const loaded = await loadWorkerModel({ modelDir: a.model!, transcodersDir: a.transcoders!, engine, device, log });
  try {
    const { graph, file } = await generateGraph(loaded, a.prompt!, {
      ...DEFAULT_ATTRIBUTE_OPTIONS,
      maxNLogits: number("max-n-logits", 10, positiveInt, "a positive integer"),
      desiredLogitProb: number("desired-logit-prob", 0.95, unit, "a number in [0, 1]"),
      batchSize: number("batch-size", 256, positiveInt, "a positive integer"),
      maxFeatureNodes,
      nodeThreshold: number("node-threshold", 0.8, unit, "a number in [0, 1]"),
      edgeThreshold: number("edge-threshold", 0.98, unit, "a number in [0, 1]"),
      slug: a.slug ?? basename(a.out!).replace(/\.json$/, ""),
      scan: a.scan ?? null,
      onProgress: (p) => bar.update(p),
      log,
    });
    writeFileSync(a.out!, graphFileText(file));
    log(
      `wrote ${a.out}: ${file.nodes.length} nodes, ${file.links.count} links (of ${graph.n_nodes} nodes before pruning)`,
    );
    if (a["dump-adjacency"]) {
      writeFileSync(a["dump-adjacency"], JSON.stringify(adjacencyDump(graph)));
      log(
        `wrote ${a["dump-adjacency"]}: ${graph.selected.length + graph.logitTargets.length} rows × ${graph.n_nodes} columns`,
      );
    }
  } finally {
    await loaded.engine.dispose();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseGraph } from "@circuitboard/shared/graph-format";
import { createAttributionEngine } from "~/gpu-worker/src/engine/attribution-engine";
import { attribute, DEFAULT_ATTRIBUTE_OPTIONS } from "~/gpu-worker/src/engine/attribution/attribute";
import { cantorUnpair, type TGraphNodeJson } from "@circuitboard/shared/graph-format";
import { generateGraph, graphFileText, loadWorkerModel } from "~/gpu-worker/src/generate-graph";
import { adjacencyDump } from "~/gpu-worker/src/output/adjacency-dump";
import { expectClose } from "./helpers/check-close";
import { makeTempDir, writeTinyModel, writeTinyTranscoders } from "./helpers/tiny-model";

function tinyDirs(seed: number) {
  const modelDir = makeTempDir("gen-model");
  const transcodersDir = makeTempDir("gen-tc");
  writeTinyModel(modelDir, { arch: "gpt2", n_layers: 3, d_model: 16, n_heads: 2, d_mlp: 32, seed });
  writeTinyTranscoders(transcodersDir, {
    kind: "cross_layer_transcoder",
    n_layers: 3,
    d_model: 16,
    d_transcoder: 32,
    activation: "jumprelu",
    feature_input_hook: "hook_resid_mid",
    feature_output_hook: "hook_mlp_out",
    seed: seed + 1,
  });
  return { modelDir, transcodersDir };
}

describe("graph generation end to end", () => {
  it("writes a Neuronpedia-shaped graph: id schemes, string layers, Cantor features, links between kept nodes", async () => {
    const w = await loadWorkerModel({ ...tinyDirs(61), engine: "onnx", device: "cpu", log: () => {} });
    try {
      const { graph, file } = await generateGraph(w, "abc dab", {
        ...DEFAULT_ATTRIBUTE_OPTIONS,
        batchSize: 32,
        maxFeatureNodes: 40,
        nodeThreshold: 0.8,
        edgeThreshold: 0.98,
        slug: "tiny",
        scan: null,
      });
      const text = graphFileText(file);
      const json = JSON.parse(text) as {
        metadata: Record<string, unknown>;
        nodes: TGraphNodeJson[];
        links: { source: string; target: string; weight: number }[];
      };
      const T = graph.tokens.length;
      expect(graph.tokens[0]).toBe(1); // BOS prepended
      expect(json.metadata.prompt_tokens).toHaveLength(T);
      expect(json.metadata.scan).toBe("tiny-cross_layer_transcoder");
      const ids = new Set<string>(json.nodes.map((n) => n.node_id));
      expect(ids.size).toBe(json.nodes.length);
      for (const link of json.links) {
        expect(ids.has(link.source), link.source).toBe(true);
        expect(ids.has(link.target), link.target).toBe(true);
      }
      const byType = (t: string) => json.nodes.filter((n) => n.feature_type === t);
      expect(byType("embedding")).toHaveLength(T); // always kept
      expect(byType("logit")).toHaveLength(graph.logitTargets.length);
      expect(byType("logit").filter((n) => n.is_target_logit)).toHaveLength(1);
      for (const n of byType("logit")) expect(n.node_id).toMatch(new RegExp(`^4_\\d+_${T - 1}$`));
      for (const n of byType("mlp reconstruction error")) expect(n.node_id).toMatch(/^\d+_-1_\d+$/);
      for (const n of byType("cross layer transcoder")) {
        const [l, i, p] = n.node_id.split("_").map(Number);
        expect(cantorUnpair(n.feature!)).toEqual({ layer: l, index: i });
        expect([n.layer, n.ctx_idx, n.jsNodeId]).toEqual([`${l}`, p, `${l}_${i}-0`]);
        expect(n.influence).toBeGreaterThan(0);
      }
      expect(json.links.length).toBeGreaterThan(0);
      // The app's own parser (@circuitboard/shared/graph-format) reads the file as written.
      const parsed = parseGraph(text);
      expect(parsed.nodes).toHaveLength(json.nodes.length);
      expect(parsed.nLayers).toBe(3);
      expect(parsed.warnings).toEqual([]);
      const dump = adjacencyDump(graph);
      expect(dump.nodes).toHaveLength(graph.n_nodes);
      expect(dump.adjacency).toHaveLength(dump.targets.length);
      expect(dump.adjacency[0]).toHaveLength(graph.n_nodes);
    } finally {
      await w.engine.dispose();
    }
  });

  it("the ONNX and the float64 reference engines give the same graph (atol 1e-5, rtol 1e-4)", async () => {
    const dirs = tinyDirs(71);
    const onnx = await loadWorkerModel({ ...dirs, engine: "onnx", device: "cpu", log: () => {} });
    const ref = await createAttributionEngine("reference", onnx.model, onnx.transcoders);
    try {
      const tokens = [1, 2, 5, 9, 3, 3, 7];
      const options = { batchSize: 8, maxFeatureNodes: 25 };
      const a = await attribute(onnx.engine, onnx.model, onnx.transcoders, tokens, options);
      const b = await attribute(ref, onnx.model, onnx.transcoders, tokens, options);
      expect(Array.from(a.selected)).toEqual(Array.from(b.selected));
      expect(a.logitTargets.map((t) => t.vocabIdx)).toEqual(b.logitTargets.map((t) => t.vocabIdx));
      expectClose(
        "logit probabilities",
        a.logitTargets.map((t) => t.prob),
        b.logitTargets.map((t) => t.prob),
        1e-6,
        0,
      );
      expectClose("adjacency rows", a.rows, b.rows, 1e-5, 1e-4);
    } finally {
      await onnx.engine.dispose();
    }
  });
});

describe("progress and cancellation", () => {
  const options = {
    ...DEFAULT_ATTRIBUTE_OPTIONS,
    batchSize: 8,
    maxFeatureNodes: 30,
    updateInterval: 1,
    nodeThreshold: 0.8,
    edgeThreshold: 0.98,
    slug: "progress",
    scan: null,
  };

  it("reports forward, logits, features and pruning in order, once per batch at least, and lets timers fire", async () => {
    const w = await loadWorkerModel({ ...tinyDirs(81), engine: "onnx", device: "cpu", log: () => {} });
    try {
      const seen: { phase: string; done: number; total: number }[] = [];
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      try {
        await generateGraph(w, "abc dab cab", { ...options, onProgress: (p) => seen.push({ ...p }) });
      } finally {
        clearInterval(timer);
      }
      const phases = [...new Set(seen.map((p) => p.phase))];
      expect(phases).toEqual(["forward", "logits", "features", "pruning"]);
      const features = seen.filter((p) => p.phase === "features");
      const total = features[0]!.total;
      expect(total).toBe(Math.ceil(30 / 8));
      // One report before (done = i) and one after (done = i + 1) each batch i.
      expect(features.map((p) => p.done)).toEqual(Array.from({ length: 2 * total }, (_, j) => (j + 1) >> 1));
      for (const p of seen) expect(p.done).toBeLessThanOrEqual(p.total);
      expect(seen.at(-1)).toEqual({ phase: "pruning", done: 2, total: 2 });
      // The run yields to the event loop between batches, so an interval timer gets to run.
      expect(ticks).toBeGreaterThanOrEqual(total);
    } finally {
      await w.engine.dispose();
    }
  });

  it("an aborted signal stops the run before the next batch with the signal's reason", async () => {
    const w = await loadWorkerModel({ ...tinyDirs(83), engine: "onnx", device: "cpu", log: () => {} });
    try {
      const controller = new AbortController();
      const phases: string[] = [];
      const run = generateGraph(w, "abc dab cab", {
        ...options,
        signal: controller.signal,
        onProgress: (p) => {
          phases.push(p.phase);
          if (p.phase === "features" && p.done === 1) controller.abort(new Error("job cancelled"));
        },
      });
      await expect(run).rejects.toThrow("job cancelled");
      expect(phases).not.toContain("pruning");
      expect(phases.filter((p) => p === "features")).toHaveLength(2); // before batch 1, after batch 1; no batch 2

      const already = new AbortController();
      already.abort();
      await expect(generateGraph(w, "abc", { ...options, signal: already.signal })).rejects.toMatchObject({
        name: "AbortError",
      });
    } finally {
      await w.engine.dispose();
    }
  });
});

describe("edge cases and the command line", () => {
  it("a prompt that is only BOS gives a graph of one embedding and the logits, with no features or errors", async () => {
    const w = await loadWorkerModel({ ...tinyDirs(91), engine: "onnx", device: "cpu", log: () => {} });
    try {
      const { graph, file } = await generateGraph(w, "", {
        ...DEFAULT_ATTRIBUTE_OPTIONS,
        nodeThreshold: 0.8,
        edgeThreshold: 0.98,
        slug: "empty",
        scan: null,
      });
      expect(graph.tokens).toEqual([1]);
      expect(graph.selected.length).toBe(0);
      const json = { nodes: file.nodes.map((n) => n.json) };
      expect(json.nodes.filter((n) => n.feature_type === "embedding")).toHaveLength(1);
      expect(
        json.nodes.filter(
          (n) => n.feature_type === "cross layer transcoder" || n.feature_type === "mlp reconstruction error",
        ),
      ).toHaveLength(0);
    } finally {
      await w.engine.dispose();
    }
  });

  it("`attribute` writes the graph JSON and the adjacency dump, and rejects a bad option by name", () => {
    const { modelDir, transcodersDir } = tinyDirs(95);
    const outDir = makeTempDir("cli-out");
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "gpu-worker/src/cli.ts", ...args], {
        encoding: "utf8",
        timeout: 60_000,
      });
    const out = join(outDir, "tiny.json");
    const dump = join(outDir, "adjacency.json");
    const ok = cli([
      "attribute",
      "--model",
      modelDir,
      "--transcoders",
      transcodersDir,
      "--prompt",
      "abc dab",
      "--out",
      out,
      "--device",
      "cpu",
      "--batch-size",
      "16",
      "--max-feature-nodes",
      "30",
      "--dump-adjacency",
      dump,
    ]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/phase 4 feature rows: done/);
    const graph = JSON.parse(readFileSync(out, "utf8"));
    expect(graph.metadata.slug).toBe("tiny");
    expect(graph.metadata.generation_settings).toEqual({
      max_n_logits: 10,
      desired_logit_prob: 0.95,
      batch_size: 16,
      max_feature_nodes: 30,
    });
    const adjacency = JSON.parse(readFileSync(dump, "utf8"));
    expect(adjacency.tokens[0]).toBe(1);
    expect(adjacency.adjacency[0]).toHaveLength(adjacency.nodes.length);
    const bad = cli([
      "attribute",
      "--model",
      modelDir,
      "--transcoders",
      transcodersDir,
      "--prompt",
      "a",
      "--out",
      out,
      "--node-threshold",
      "1.5",
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--node-threshold: expected a number in \[0, 1\], got "1\.5"/);
  });
});

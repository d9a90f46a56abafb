// A synthetic attribution graph for the viewer benchmark: 8,000 nodes and 1,000,000 links, shaped like
// circuit-tracer output (string layers, "E" embeddings, legacy error ids, logits at n_layers + 1) and with
// the degree skew of real graphs: the logits collect many inputs and a few features feed many links, so the
// benchmark can click a node with thousands of edges. Deterministic (mulberry32), so every run draws the same.
import { writeFileSync } from "node:fs";
import { cantorPair } from "@circuitboard/shared/graph-format";
import { seededRandom } from "~/gpu-worker/src/util/seeded-random";

export const SYNTHETIC = {
  nodes: 8_000,
  links: 1_000_000,
  tokens: 12,
  layers: 26,
  logits: 10,
  hubFeatures: 20,
} as const;

export interface TSyntheticGraph {
  readonly path: string;
  readonly sizeBytes: number;
  /** The most probable logit: ~1/20 of all links end there. */
  readonly hubLogitId: string;
  readonly hubLogitLabel: string;
  readonly hubLogitDegree: number;
}

export function writeSyntheticGraph(path: string): TSyntheticGraph {
  const random = seededRandom(7); // deterministic: every run benchmarks the same bytes
  const { nodes: nodeCount, links: linkCount, tokens, layers, logits, hubFeatures } = SYNTHETIC;
  const nodes: Record<string, unknown>[] = [];
  const node = (
    id: string,
    jsNodeId: string,
    feature: number,
    layer: string,
    ctx: number,
    type: string,
    extra: Record<string, unknown>,
  ) => ({
    node_id: id,
    feature,
    layer,
    ctx_idx: ctx,
    feature_type: type,
    token_prob: 0,
    is_target_logit: false,
    run_idx: 0,
    reverse_ctx_idx: 0,
    jsNodeId,
    clerp: "",
    influence: null,
    activation: null,
    ...extra,
  });
  for (let p = 0; p < tokens; p += 1) {
    nodes.push(node(`E_${1000 + p}_${p}`, `E_${1000 + p}-${p}`, p, "E", p, "embedding", { influence: random() * 0.8 }));
    for (let l = 0; l < layers; l += 1) {
      nodes.push(
        node(`0_${l}_${p}`, `${l}_${p}-0`, -1, String(l), p, "mlp reconstruction error", { influence: random() }),
      );
    }
  }
  const last = tokens - 1;
  const logitIndices: number[] = [];
  for (let v = 0; v < logits; v += 1) {
    const prob = 0.5 / (v + 1);
    logitIndices.push(nodes.length);
    nodes.push(
      node(`${layers + 1}_${2000 + v}_${last}`, `L_${2000 + v}-${last}`, 2000 + v, String(layers + 1), last, "logit", {
        token_prob: prob,
        is_target_logit: v === 0,
        clerp: `Output "t${v}" (p=${prob.toFixed(3)})`,
      }),
    );
  }
  const featureStart = nodes.length;
  while (nodes.length < nodeCount) {
    const l = Math.floor(random() * layers);
    const i = Math.floor(random() * 500_000);
    const p = Math.floor(random() * tokens);
    nodes.push(
      node(`${l}_${i}_${p}`, `${l}_${i}-0`, cantorPair(l, i), String(l), p, "cross layer transcoder", {
        clerp: `feature ${l}/${i}`,
        influence: Math.fround(random()),
        activation: Math.fround(random() * 10),
      }),
    );
  }
  const ids = nodes.map((n) => JSON.stringify(n.node_id));
  const uniform = (): number => Math.floor(random() * ids.length);
  // Targets: 5% into the logits (the top one gets the most), sources: 10% from a few hub features.
  const pickTarget = (): number =>
    random() < 0.05 ? logitIndices[Math.floor(random() * random() * logits)]! : uniform();
  const pickSource = (): number => (random() < 0.1 ? featureStart + Math.floor(random() * hubFeatures) : uniform());
  const lines = new Array<string>(linkCount);
  let hubDegree = 0;
  for (let k = 0; k < linkCount; k += 1) {
    const source = pickSource();
    const target = pickTarget();
    if (target === logitIndices[0] || source === logitIndices[0]) hubDegree += 1;
    const weight = Math.fround((random() - 0.45) * 4);
    lines[k] = `{"source":${ids[source]},"target":${ids[target]},"weight":${weight}}`;
  }
  const metadata = {
    slug: "synthetic-viewer",
    scan: "gemma-2-2b",
    prompt_tokens: Array.from({ length: tokens }, (_, p) => ` t${p}`),
    prompt: Array.from({ length: tokens }, (_, p) => ` t${p}`).join(""),
    node_threshold: 0.8,
    schema_version: 1,
  };
  const qParams = { pinnedIds: [], supernodes: [], linkType: "both", clickedId: "", sg_pos: "" };
  const text = `{"metadata":${JSON.stringify(metadata)},"qParams":${JSON.stringify(qParams)},"nodes":${JSON.stringify(nodes)},"links":[${lines.join(",")}]}`;
  writeFileSync(path, text);
  const hub = nodes[logitIndices[0]!]!;
  return {
    path,
    sizeBytes: Buffer.byteLength(text),
    hubLogitId: String(hub.node_id),
    hubLogitLabel: String(hub.clerp),
    hubLogitDegree: hubDegree,
  };
}

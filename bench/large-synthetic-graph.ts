// A large synthetic attribution graph written straight to disk (never one string in memory): 10,000
// nodes shaped like circuit-tracer output and as many links as it takes to reach `targetBytes` (150 MB
// ≈ 2 million links). Deterministic (seeded). Used by the stall test (test/e2e/trust.spec.ts) and the
// loopback load bench (bench/load.ts), which run an import and an export of it beside other requests.
import { closeSync, openSync, writeSync } from "node:fs";
import { cantorPair } from "@circuitboard/shared/graph-format";
import { seededRandom } from "~/gpu-worker/src/util/seeded-random";

export function writeLargeSyntheticGraph(path: string, targetBytes: number): { sizeBytes: number; links: number } {
  const random = seededRandom(11);
  const tokens = 16;
  const layers = 26;
  const nodes: string[] = [];
  const ids: string[] = [];
  const add = (id: string, feature: number, layer: string, ctx: number, type: string, extra = "") => {
    ids.push(JSON.stringify(id));
    nodes.push(
      `{"node_id":${JSON.stringify(id)},"feature":${feature},"layer":${JSON.stringify(layer)},"ctx_idx":${ctx},` +
        `"feature_type":${JSON.stringify(type)},"token_prob":0,"is_target_logit":false,"run_idx":0,` +
        `"reverse_ctx_idx":0,"clerp":""${extra}}`,
    );
  };
  for (let p = 0; p < tokens; p += 1) add(`E_${1000 + p}_${p}`, p, "E", p, "embedding");
  add(`${layers + 1}_2000_${tokens - 1}`, 2000, String(layers + 1), tokens - 1, "logit", ',"token_prob":0.5');
  while (nodes.length < 10_000) {
    const l = Math.floor(random() * layers);
    const i = Math.floor(random() * 500_000);
    const p = Math.floor(random() * tokens);
    add(`${l}_${i}_${p}`, cantorPair(l, i), String(l), p, "cross layer transcoder", `,"influence":${random()}`);
  }
  const metadata = {
    slug: "synthetic-large",
    scan: "gemma-2-2b",
    prompt_tokens: Array.from({ length: tokens }, (_, p) => ` t${p}`),
    node_threshold: 0.8,
    schema_version: 1,
  };
  const fd = openSync(path, "w");
  let size = 0;
  const write = (s: string) => (size += writeSync(fd, s));
  write(`{"metadata":${JSON.stringify(metadata)},"nodes":[${nodes.join(",")}],"links":[`);
  let links = 0;
  const tail = "]}";
  while (size + tail.length < targetBytes) {
    const batch: string[] = [];
    for (let k = 0; k < 10_000; k += 1) {
      const s = ids[Math.floor(random() * ids.length)]!;
      const t = ids[Math.floor(random() * ids.length)]!;
      batch.push(`{"source":${s},"target":${t},"weight":${Math.fround((random() - 0.45) * 4)}}`);
    }
    write((links > 0 ? "," : "") + batch.join(","));
    links += batch.length;
  }
  write(tail);
  closeSync(fd);
  return { sizeBytes: size, links };
}

import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { FeatureDashboard } from "./feature-dashboard";

/**
 * The dashboard file set, in circuit-tracer's feature-file layout (reference §4.8) so a static
 * file server (or the circuit-tracer viewer with a local scan) can serve one feature with one HTTP
 * Range request, and nothing needs a database:
 *
 *   index.json.gz      gzip JSON array indexed by layer: { layer, filename: "layer_{l}.bin", offsets }
 *                      where offsets has F + 1 entries and feature i is bytes [offsets[i], offsets[i+1])
 *   layer_{l}.bin      per feature, in index order: a 4-byte little-endian length n, then n bytes of
 *                      gzip-compressed JSON of a FeatureDashboard (feature-dashboard.ts)
 *   dashboards.json    what made the set: model, scan, corpus, window size, sizes, logit method
 *   features/{index}.json  (optional) the same records one file per feature, named by the Cantor
 *                      index, the legacy per-feature layout; they follow Neuronpedia's feature-details schema
 */
export interface DashboardIndexEntry {
  layer: number;
  filename: string;
  offsets: number[]; // [F + 1]
}

export const DASHBOARD_FORMAT = { name: "circuitboard-feature-dashboards", version: 1 } as const;

export function createDashboardWriter(outDir: string, o: { isPerFeatureJson: boolean }) {
  mkdirSync(outDir, { recursive: true });
  if (o.isPerFeatureJson) mkdirSync(join(outDir, "features"), { recursive: true });
  const index: DashboardIndexEntry[] = [];
  return {
    writeLayer(layer: number, records: FeatureDashboard[]): void {
      const filename = `layer_${layer}.bin`;
      const fd = openSync(join(outDir, filename), "w");
      const offsets = [0];
      try {
        for (const record of records) {
          const body = gzipSync(JSON.stringify(record));
          const length = Buffer.alloc(4);
          length.writeUInt32LE(body.length, 0);
          writeSync(fd, length);
          writeSync(fd, body);
          offsets.push(offsets[offsets.length - 1]! + 4 + body.length);
          if (o.isPerFeatureJson)
            writeFileSync(join(outDir, "features", `${record.index}.json`), JSON.stringify(record));
        }
      } finally {
        closeSync(fd);
      }
      index[layer] = { layer, filename, offsets };
    },
    finish(metadata: Record<string, unknown>): void {
      writeFileSync(join(outDir, "index.json.gz"), gzipSync(JSON.stringify(index)));
      writeFileSync(
        join(outDir, "dashboards.json"),
        JSON.stringify({ format: DASHBOARD_FORMAT, ...metadata }, null, 2),
      );
    },
  };
}

export function readDashboardIndex(dir: string): DashboardIndexEntry[] {
  return JSON.parse(gunzipSync(readFileSync(join(dir, "index.json.gz"))).toString("utf8")) as DashboardIndexEntry[];
}

/** One feature's record, read the way a Range request would: its byte span only. */
export function readFeatureDashboard(
  dir: string,
  layer: number,
  feature: number,
  index: DashboardIndexEntry[] = readDashboardIndex(dir),
): FeatureDashboard {
  const entry = index[layer];
  if (!entry)
    throw new Error(`readFeatureDashboard: no layer ${layer} in ${dir}/index.json.gz (layers 0–${index.length - 1})`);
  if (!(feature >= 0 && feature + 1 < entry.offsets.length))
    throw new Error(`readFeatureDashboard: feature ${feature} outside layer ${layer}'s 0–${entry.offsets.length - 2}`);
  const start = entry.offsets[feature]!,
    end = entry.offsets[feature + 1]!;
  const bytes = Buffer.alloc(end - start);
  const fd = openSync(join(dir, entry.filename), "r");
  try {
    readSync(fd, bytes, 0, bytes.length, start);
  } finally {
    closeSync(fd);
  }
  const n = bytes.readUInt32LE(0);
  if (n !== bytes.length - 4)
    throw new Error(
      `readFeatureDashboard: ${entry.filename} record ${feature} declares ${n} bytes, its span holds ${bytes.length - 4}`,
    );
  return JSON.parse(gunzipSync(bytes.subarray(4)).toString("utf8")) as FeatureDashboard;
}

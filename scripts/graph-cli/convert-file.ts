import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { once } from "node:events";
import { exportGraphChunks, parseGraph } from "@circuitboard/shared/graph-format";
import { cliErrorOf, summaryOf, type TValidateFileResult } from "./validate-file";

export type TConvertFileResult =
  | (Extract<TValidateFileResult, { ok: true }> & { readonly out: string; readonly sizeBytes: number })
  | Extract<TValidateFileResult, { ok: false }>;

/**
 * Parses `inPath` (any variant parseGraph accepts) and writes it as Neuronpedia graph JSON to `outPath`,
 * chunk by chunk so large graphs never become one giant string. Never throws for a bad input file.
 */
export async function convertFile(inPath: string, outPath: string): Promise<TConvertFileResult> {
  let graph;
  try {
    graph = parseGraph(await readFile(inPath));
  } catch (error) {
    return { ok: false, error: cliErrorOf(error) };
  }
  try {
    const out = createWriteStream(outPath);
    let sizeBytes = 0;
    for (const chunk of exportGraphChunks(graph)) {
      sizeBytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
    return { ...summaryOf(graph), out: outPath, sizeBytes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: "UNWRITABLE_FILE", path: "$", message } };
  }
}

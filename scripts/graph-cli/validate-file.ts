import { readFile } from "node:fs/promises";
import { GraphFormatError, parseGraph, type TGraph } from "@circuitboard/shared/graph-format";

// File-only graph commands: read a file, parse it with @circuitboard/shared/graph-format, report. No database.

export type TGraphCliError = {
  readonly code: string;
  readonly path: string;
  readonly message: string;
  readonly position?: { readonly offset: number; readonly line: number; readonly column: number };
};

export type TValidateFileResult =
  | {
      readonly ok: true;
      readonly nodes: number;
      readonly links: number;
      readonly pinnedIds: number;
      readonly supernodes: number;
    }
  | { readonly ok: false; readonly error: TGraphCliError };

export function cliErrorOf(error: unknown): TGraphCliError {
  if (error instanceof GraphFormatError) {
    const { code, path, message, position } = error;
    return { code, path, message, ...(position ? { position } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "UNREADABLE_FILE", path: "$", message };
}

export function summaryOf(graph: TGraph): Extract<TValidateFileResult, { ok: true }> {
  return {
    ok: true,
    nodes: graph.counts.nodes,
    links: graph.counts.links,
    pinnedIds: graph.counts.pinnedIds,
    supernodes: graph.counts.supernodes,
  };
}

/** Reads and parses a graph file. Never throws: unreadable files (missing, not a graph) give ok: false. */
export async function validateFile(path: string): Promise<TValidateFileResult> {
  try {
    return summaryOf(parseGraph(await readFile(path)));
  } catch (error) {
    return { ok: false, error: cliErrorOf(error) };
  }
}

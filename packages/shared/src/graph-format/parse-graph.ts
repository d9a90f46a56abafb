import { GraphFormatError } from "./graph-format-error";
import type { TGraph } from "./graph-types";
import { normaliseGraph, type TNormaliseGraphOptions } from "./normalise-graph";
import { parseJsonText, type TGraphInput } from "./parse-json-text";

/**
 * Reads a graph file (text or UTF-8 bytes, e.g. a Buffer from an upload) into the normalised form.
 * Throws GraphFormatError for anything that cannot be read; nothing else is expected to escape.
 */
export function parseGraph(input: TGraphInput, options: TNormaliseGraphOptions = {}): TGraph {
  return normaliseGraph(parseJsonText(input), options);
}

export type TSafeParseGraphResult =
  { readonly ok: true; readonly graph: TGraph } | { readonly ok: false; readonly error: GraphFormatError };

/** parseGraph without throwing for bad input (a bug still throws). */
export function safeParseGraph(input: TGraphInput, options: TNormaliseGraphOptions = {}): TSafeParseGraphResult {
  try {
    return { ok: true, graph: parseGraph(input, options) };
  } catch (error) {
    if (error instanceof GraphFormatError) return { ok: false, error };
    throw error;
  }
}

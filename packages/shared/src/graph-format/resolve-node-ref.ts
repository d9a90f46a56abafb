import type { TGraph } from "./graph-types";

// Pins, supernode members and clickedId name nodes by node_id in circuit-tracer files, but by jsNodeId in
// files of Anthropic's models (Neuronpedia switches on the model). jsNodeId is not unique (a feature keeps one
// jsNodeId across positions), so a jsNodeId reference resolves to every node that carries it.

export type TNodeRefResolver = (ref: string) => readonly number[];

type TGraphForRefs = Pick<TGraph, "nodes" | "nodeIndexById">;

export function createNodeRefResolver(graph: TGraphForRefs): TNodeRefResolver {
  let byJsNodeId: Map<string, number[]> | null = null;
  return (ref) => {
    const index = graph.nodeIndexById.get(ref);
    if (index !== undefined) return [index];
    if (byJsNodeId === null) {
      byJsNodeId = new Map();
      for (const node of graph.nodes) {
        const jsNodeId = node.json.jsNodeId;
        if (jsNodeId === undefined) continue;
        const list = byJsNodeId.get(jsNodeId);
        if (list === undefined) byJsNodeId.set(jsNodeId, [node.index]);
        else list.push(node.index);
      }
    }
    return byJsNodeId.get(ref) ?? [];
  };
}

/** Node indices a single reference names (empty when it names none). */
export function resolveNodeRef(graph: TGraphForRefs, ref: string): readonly number[] {
  return createNodeRefResolver(graph)(ref);
}

export interface TResolvedSupernode {
  readonly label: string;
  readonly members: readonly number[];
}

export interface TResolvedSubgraph {
  readonly pinned: readonly number[];
  readonly supernodes: readonly TResolvedSupernode[];
  readonly clicked: number | null;
  /** References that name no node, with their JSON path (`$.qParams.pinnedIds[3]`). */
  readonly unresolved: readonly { readonly path: string; readonly ref: string }[];
}

/** The saved subgraph of qParams, as node indices. */
export function resolveSubgraph(graph: TGraphForRefs & Pick<TGraph, "qParams">): TResolvedSubgraph {
  const resolve = createNodeRefResolver(graph);
  const unresolved: { path: string; ref: string }[] = [];
  const lookUp = (ref: string, path: string): readonly number[] => {
    const found = resolve(ref);
    if (found.length === 0) unresolved.push({ path, ref });
    return found;
  };
  const pinned = (graph.qParams.pinnedIds ?? []).flatMap((ref, i) => lookUp(ref, `$.qParams.pinnedIds[${i}]`));
  const supernodes = (graph.qParams.supernodes ?? []).map(([label, ...refs], i) => ({
    label: label ?? "",
    members: refs.flatMap((ref, j) => lookUp(ref, `$.qParams.supernodes[${i}][${j + 1}]`)),
  }));
  const clickedId = graph.qParams.clickedId;
  const clicked = clickedId ? (lookUp(clickedId, "$.qParams.clickedId")[0] ?? null) : null;
  return { pinned, supernodes, clicked, unresolved };
}

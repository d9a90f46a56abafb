import type { TGraphNode } from "./graph-types";
import { parseEmbeddingNodeId, parseErrorNodeId, parseFeatureNodeId } from "./node-id";

// Neuronpedia requires jsNodeId; files from other tools may lack it. These are circuit-tracer's forms
// (attribution-algorithm.md §4.3). Error nodes keep the scheme of their node_id: legacy "{l}_{p}-0",
// current "{l}_-1-{p}".
export function defaultJsNodeId(node: Pick<TGraphNode, "nodeId" | "kind" | "featureLayer" | "featureIndex">): string {
  switch (node.kind) {
    case "feature":
      return node.featureLayer !== null && node.featureIndex !== null
        ? `${node.featureLayer}_${node.featureIndex}-0`
        : node.nodeId;
    case "error": {
      const parsed = parseErrorNodeId(node.nodeId);
      if (parsed === null) return node.nodeId;
      return parsed.scheme === "current" ? `${parsed.layer}_-1-${parsed.ctxIdx}` : `${parsed.layer}_${parsed.ctxIdx}-0`;
    }
    case "embedding": {
      const parsed = parseEmbeddingNodeId(node.nodeId);
      return parsed === null ? node.nodeId : `E_${parsed.tokenId}-${parsed.ctxIdx}`;
    }
    case "logit": {
      const parsed = parseFeatureNodeId(node.nodeId);
      return parsed === null ? node.nodeId : `L_${parsed.index}-${parsed.ctxIdx}`;
    }
    case "other":
      return node.nodeId;
  }
}

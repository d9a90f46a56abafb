"use client";
// What every panel of one loaded graph shares: the graph columns, the view store and (once sigma is up)
// the renderer, for camera moves and export.
import { createContext, useContext } from "react";
import type { GraphRenderer } from "./graph-renderer";
import type { ViewStore } from "./view-store";
import type { TViewerGraph } from "./viewer-graph";

export interface TViewerContext {
  readonly graph: TViewerGraph;
  readonly store: ViewStore;
  readonly renderer: GraphRenderer | null;
}

export const ViewerContext = createContext<TViewerContext | null>(null);

export function useViewer(): TViewerContext {
  const value = useContext(ViewerContext);
  if (!value) throw new Error("useViewer: a viewer panel was rendered outside <ViewerContext>");
  return value;
}

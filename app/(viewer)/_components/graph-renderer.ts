// Owns sigma for one graph: builds the graphology graph once (every node; edges only in the "strongest N"
// mode), derives all highlighting with reducers from the ViewStore, draws the selection's links and the axes
// on overlay canvases, and releases everything in kill(). Loaded only in the browser (sigma needs WebGL).
// In the default mode no edge is in sigma's graph: a frame draws at most LINKS_PER_SELECTED links per
// clicked / hovered node and LINKS_PER_PINNED per pin, whatever the graph's link count.
import Graph from "graphology";
import Sigma from "sigma";
import { connectionsOf } from "./node-connections";
import { displayLabel, isNodeShown } from "./node-facts";
import { drawAxes, drawSelection, logitLabelText, sizeCanvas, type TAxisBoxes, type TAxisLabel } from "./draw-overlays";
import { LINKS_PER_PINNED, LINKS_PER_SELECTED, type TLinkMode } from "./link-mode";
import { selectionLinks, type TDrawnLink, type TSelectionSpec } from "./selection-links";
import { layoutGraph, type TGraphLayout } from "./graph-layout";
import { CLICKED_COLOR, edgeStyle, FADED_COLOR, kindStyleOf, signedColor } from "./graph-style";
import type { TGlyph } from "./glyphs";
import { NodeGlyphProgram } from "./node-glyph-program";
import type { TViewState, ViewStore } from "./view-store";
import { KIND_CODE, type TViewerGraph } from "./viewer-graph";

interface TNodeAttributes {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  glyph: TGlyph;
  type: "glyph";
  index: number;
}
interface TEdgeAttributes {
  size: number;
  color: string;
}

export interface TRendererCallbacks {
  onHover(node: number | null): void;
  /** Camera moved or the drawing changed: floating UI (the tooltip) should re-place itself. */
  onViewChange(): void;
}

const SELECTION_LIMIT = 50_000;
const LABELLED_LOGITS = 12;

export class GraphRenderer {
  readonly layout: TGraphLayout;
  private readonly sigma: Sigma;
  private readonly axisCanvas = document.createElement("canvas");
  private readonly selectionCanvas = document.createElement("canvas");
  private readonly unsubscribe: () => void;
  private readonly resizeObserver: ResizeObserver;
  private state: TViewState;
  /** Signed share of input of each neighbour of the selected node, for node colours. */
  private neighbourStrength = new Map<number, number>();
  private selectionLinks: TDrawnLink[] = [];
  private hovered: number | null = null;
  private axisBoxes: TAxisBoxes = { tokens: [], logits: [] };
  private overlayLinksDrawn = 0;
  private pinnedSet = new Set<number>();
  private isFirstFrame = true;
  private readonly logitLabels: TAxisLabel[];

  constructor(
    private readonly container: HTMLElement,
    private readonly graph: TViewerGraph,
    private readonly store: ViewStore,
    private readonly callbacks: TRendererCallbacks,
  ) {
    this.state = store.get();
    this.pinnedSet = new Set(this.state.pinned);
    const { width, height } = container.getBoundingClientRect();
    this.layout = layoutGraph(graph, height > 0 && width > 0 ? height / width : 0.6);
    this.computeSelection();
    this.logitLabels = Array.from({ length: graph.nodeCount }, (_, i) => i)
      .filter((i) => graph.kinds[i] === KIND_CODE.logit)
      .sort((a, b) => (graph.tokenProb[b] || 0) - (graph.tokenProb[a] || 0))
      .slice(0, LABELLED_LOGITS)
      .map((node) => ({ node, ...logitLabelText(graph.clerps[node] ?? "", graph.tokenProb[node]!) }));
    this.sigma = new Sigma(this.buildGraph(this.state.linkMode), container, {
      nodeProgramClasses: { glyph: NodeGlyphProgram },
      defaultNodeType: "glyph",
      nodeReducer: (_key, data) => this.reduceNode(data as TNodeAttributes),
      edgeReducer: (_key, data) => (this.state.clicked !== null ? { ...data, hidden: true } : data),
      // Node sizes follow the zoom (graph-space sizes): zooming in enlarges nodes and lets more labels show.
      zoomToSizeRatioFunction: (ratio) => Math.max(ratio, 0.02),
      minEdgeThickness: 0.4,
      labelFont: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      labelSize: 11,
      labelRenderedSizeThreshold: 9,
      labelDensity: 0.6,
      enableCameraRotation: false,
      zIndex: true,
      stagePadding: 24,
      defaultDrawNodeHover: () => {},
    });
    this.sigma.setCustomBBox(this.layout.bbox);
    const canvases = this.sigma.getCanvases();
    this.axisCanvas.setAttribute("aria-hidden", "true");
    this.selectionCanvas.setAttribute("aria-hidden", "true");
    for (const canvas of [this.axisCanvas, this.selectionCanvas])
      canvas.style.cssText = "position:absolute;inset:0;pointer-events:none";
    canvases.edges?.before(this.axisCanvas);
    canvases.nodes?.before(this.selectionCanvas);

    this.sigma.on("afterRender", this.drawOverlays);
    const onNodeClick = ({ node, event }: { node: string; event: { original: MouseEvent | TouchEvent } }) => {
      const index = Number(node);
      if (event.original.ctrlKey || event.original.metaKey) store.togglePin(index);
      else store.select(index);
    };
    this.sigma.on("clickNode", onNodeClick);
    this.sigma.on("clickStage", () => store.select(null));
    // Sigma turns a second click within 300 ms into a double click (zoom, and no click event), so clicking
    // two nodes in quick succession would zoom and drop the second selection. Both are plain clicks here.
    this.sigma.on("doubleClickNode", (payload) => {
      payload.preventSigmaDefault();
      onNodeClick(payload);
    });
    this.sigma.on("doubleClickStage", (payload) => {
      payload.preventSigmaDefault();
      store.select(null);
    });
    this.sigma.on("enterNode", ({ node }) => this.setHovered(Number(node)));
    this.sigma.on("leaveNode", () => this.setHovered(null));
    this.unsubscribe = store.subscribe(this.onStateChange);
    this.resizeObserver = new ResizeObserver(() => this.sigma.scheduleRefresh());
    this.resizeObserver.observe(container);
    this.sigma.refresh();
  }

  private setHovered(node: number | null): void {
    this.hovered = node;
    this.callbacks.onHover(node);
    if (this.state.linkMode.kind === "selection") {
      this.computeSelection();
      this.sigma.scheduleRender();
    }
  }

  private buildGraph(mode: TLinkMode): Graph {
    const drawnLinks = mode.kind === "strongest" ? mode.count : 0;
    const g = this.graph;
    const graph = new Graph({ type: "directed", multi: true, allowSelfLoops: true });
    const { width } = this.container.getBoundingClientRect();
    // Size nodes to the room one slot gets on screen, within readable bounds.
    const pxPerSlot = (width || 800) / Math.max(this.layout.width, 1);
    const baseSize = Math.min(6, Math.max(1.6, pxPerSlot * 0.42));
    for (let i = 0; i < g.nodeCount; i += 1) {
      const kind = g.kinds[i]!;
      const style = kindStyleOf(kind);
      const isEnd = kind === KIND_CODE.embedding || kind === KIND_CODE.logit;
      const attributes: TNodeAttributes = {
        x: this.layout.x[i]!,
        y: this.layout.y[i]!,
        size: isEnd ? Math.max(baseSize * 1.3, 3.5) : baseSize,
        color: style.color,
        label: "",
        glyph: style.glyph,
        type: "glyph",
        index: i,
      };
      graph.addNode(String(i), attributes);
    }
    const count = Math.min(drawnLinks, g.strongest.length);
    for (let k = 0; k < count; k += 1) {
      const link = g.strongest[k]!;
      const target = g.target[link]!;
      const total = g.inAbsSum[target]!;
      const attributes: TEdgeAttributes = edgeStyle(total > 0 ? g.weight[link]! / total : 0);
      graph.addDirectedEdgeWithKey(String(link), String(g.source[link]), String(target), attributes);
    }
    return graph;
  }

  private reduceNode(data: TNodeAttributes): Record<string, unknown> {
    const s = this.state;
    const i = data.index;
    const out: Record<string, unknown> = data as unknown as Record<string, unknown>;
    if (!isNodeShown(this.graph, { threshold: s.threshold, clicked: s.clicked, pinned: s.pinned }, i)) {
      out.hidden = true;
      return out;
    }
    out.label = displayLabel(this.graph, s, i);
    if (this.pinnedSet.has(i)) out.isRinged = true;
    if (s.clicked !== null) {
      if (i === s.clicked) {
        out.color = CLICKED_COLOR;
        out.size = data.size * 1.8;
        out.isRinged = true;
        out.zIndex = 3;
        out.forceLabel = true;
      } else {
        const strength = this.neighbourStrength.get(i);
        if (strength !== undefined) {
          out.color = signedColor(strength);
          out.zIndex = 2;
        } else {
          out.color = FADED_COLOR;
        }
      }
    }
    if (s.commentedNodes && !s.commentedNodes.has(i) && i !== s.clicked) {
      out.color = FADED_COLOR;
      out.size = data.size * 0.7;
      out.zIndex = 0;
      out.forceLabel = false;
    }
    if (i === s.focused) {
      out.highlighted = true;
      out.size = (out.size as number) * 1.6;
      out.zIndex = 4;
    }
    return out;
  }

  private computeSelection(): void {
    const { clicked, linkMode, showAllLinks, pinned } = this.state;
    const specs: TSelectionSpec[] = [];
    if (linkMode.kind === "strongest") {
      // The overview mode of before: every link of the clicked node, nothing for hover or pins.
      if (clicked !== null) specs.push({ node: clicked, perDirection: Number.POSITIVE_INFINITY });
    } else {
      if (clicked !== null) {
        specs.push({ node: clicked, perDirection: showAllLinks ? Number.POSITIVE_INFINITY : LINKS_PER_SELECTED });
      }
      if (this.hovered !== null && this.hovered !== clicked) {
        specs.push({ node: this.hovered, perDirection: LINKS_PER_SELECTED });
      }
      for (const node of pinned) if (node !== clicked) specs.push({ node, perDirection: LINKS_PER_PINNED });
    }
    this.selectionLinks = selectionLinks(this.graph, specs, SELECTION_LIMIT);
    this.neighbourStrength = new Map();
    if (clicked === null) return;
    for (const direction of ["inputs", "outputs"] as const) {
      for (const row of connectionsOf(this.graph, clicked, direction).sorted) {
        const previous = this.neighbourStrength.get(row.node);
        if (previous === undefined || Math.abs(row.fractionOfInput) > Math.abs(previous)) {
          this.neighbourStrength.set(row.node, row.fractionOfInput);
        }
      }
    }
  }

  private readonly onStateChange = (state: TViewState, previous: TViewState): void => {
    this.state = state;
    if (state.linkMode !== previous.linkMode) {
      // The drawn link set itself changes (a data choice, not a highlight): a new graph for sigma.
      this.sigma.setGraph(this.buildGraph(state.linkMode));
    }
    if (state.pinned !== previous.pinned) this.pinnedSet = new Set(state.pinned);
    if (
      state.clicked !== previous.clicked ||
      state.pinned !== previous.pinned ||
      state.linkMode !== previous.linkMode ||
      state.showAllLinks !== previous.showAllLinks
    ) {
      this.computeSelection();
    }
    const isFull =
      state.clicked !== previous.clicked ||
      state.pinned !== previous.pinned ||
      state.supernodes !== previous.supernodes ||
      state.clerps !== previous.clerps ||
      state.shownLabels !== previous.shownLabels ||
      state.threshold !== previous.threshold ||
      state.linkMode !== previous.linkMode ||
      state.showAllLinks !== previous.showAllLinks ||
      state.commentedNodes !== previous.commentedNodes;
    if (isFull) {
      this.sigma.refresh();
      if (state.clicked !== null && state.clicked !== previous.clicked) {
        performance.mark("viewer:highlight", { detail: { node: state.clicked } });
      }
    } else if (state.focused !== previous.focused) {
      const nodes = [previous.focused, state.focused].filter((n): n is number => n !== null).map(String);
      this.sigma.refresh({ partialGraph: { nodes }, skipIndexation: true });
    }
  };

  private readonly drawOverlays = (): void => {
    const { width, height } = this.sigma.getDimensions();
    const ratio = window.devicePixelRatio || 1;
    const axes = sizeCanvas(this.axisCanvas, width, height, ratio);
    this.axisBoxes = drawAxes(axes, this.sigma, this.layout, this.graph.tokens, this.logitLabels);
    const selection = sizeCanvas(this.selectionCanvas, width, height, ratio);
    const s = this.state;
    this.overlayLinksDrawn = drawSelection(selection, this.sigma, this.layout, this.selectionLinks, (n) =>
      isNodeShown(this.graph, s, n),
    );
    this.callbacks.onViewChange();
    if (this.isFirstFrame) {
      this.isFirstFrame = false;
      requestAnimationFrame(() => performance.mark("viewer:first-frame"));
    }
  };

  /** What the last frame drew, for the tests and benchmarks (viewer hook). */
  frameStats(): {
    sigmaEdges: number;
    overlayLinks: number;
    width: number;
    height: number;
    axis: TAxisBoxes;
  } {
    const { width, height } = this.sigma.getDimensions();
    const edgesShown = this.state.clicked === null ? this.sigma.getGraph().size : 0;
    return { sigmaEdges: edgesShown, overlayLinks: this.overlayLinksDrawn, width, height, axis: this.axisBoxes };
  }

  /** Viewport position (CSS pixels, relative to the container) of a node. */
  positionOf(node: number): { x: number; y: number } {
    return this.sigma.graphToViewport({ x: this.layout.x[node]!, y: this.layout.y[node]! });
  }

  /** Whether a node is drawn dimmed (faded colour) in the current frame. */
  isFaded(node: number): boolean {
    return this.sigma.getNodeDisplayData(String(node))?.color === FADED_COLOR;
  }

  /** Moves the camera onto a node. */
  focusNode(node: number): void {
    const data = this.sigma.getNodeDisplayData(String(node));
    if (!data) return;
    const camera = this.sigma.getCamera();
    void camera.animate({ x: data.x, y: data.y, ratio: Math.min(camera.ratio, 0.5) }, { duration: 350 });
  }

  /** sigma's camera state (x, y in its normalised frame, ratio the zoom): what a case-study step captures. */
  cameraState(): { x: number; y: number; ratio: number } {
    const { x, y, ratio } = this.sigma.getCamera().getState();
    return { x, y, ratio };
  }

  /** Animates the camera to a captured state (a case-study step). */
  animateCamera(state: { x: number; y: number; ratio: number }, duration = 400): Promise<void> {
    return this.sigma.getCamera().animate(state, { duration });
  }

  resetCamera(): void {
    void this.sigma.getCamera().animatedReset({ duration: 300 });
  }

  zoom(factor: number): void {
    const camera = this.sigma.getCamera();
    void camera.animate({ ratio: camera.ratio / factor }, { duration: 200 });
  }

  /** The current view as a PNG: every layer (axes, links, nodes, labels) composited on white. */
  exportPng(): Promise<Blob | null> {
    // A synchronous render right before reading: WebGL canvases keep their pixels until the task ends.
    this.sigma.refresh();
    const { width, height } = this.sigma.getDimensions();
    const ratio = window.devicePixelRatio || 1;
    const out = document.createElement("canvas");
    out.width = Math.round(width * ratio);
    out.height = Math.round(height * ratio);
    const ctx = out.getContext("2d")!;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    for (const canvas of this.container.querySelectorAll("canvas")) ctx.drawImage(canvas, 0, 0, out.width, out.height);
    return new Promise((resolve) => out.toBlob(resolve, "image/png"));
  }

  kill(): void {
    this.unsubscribe();
    this.resizeObserver.disconnect();
    this.sigma.removeAllListeners();
    this.sigma.kill();
    this.axisCanvas.remove();
    this.selectionCanvas.remove();
  }
}

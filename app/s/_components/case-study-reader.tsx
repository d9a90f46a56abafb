"use client";
// The case-study reader: prose steps on one side, the live viewer on the other. Scrolling a step into view
// (IntersectionObserver), ←/→, or a #step-N link makes it the active step, and the viewer moves to its view
// (pins, clicked node, threshold, labels, then the camera animates). The reader may explore; "Back to the
// author's view" re-applies the step. data-active-step / data-applied-step say where it is (tests read them
// with window.__circuitboardViewer's camera and pins).
import { useCallback, useEffect, useRef, useState } from "react";
import { applyStepView, type TStepViewInput } from "~/app/(viewer)/_components/case-study-view";
import { GraphViewer } from "~/app/(viewer)/_components/graph-viewer";
import type { TViewerContext } from "~/app/(viewer)/_components/viewer-context";
import styles from "./reader.module.css";

export interface TReaderStep {
  readonly index: number;
  readonly proseHtml: string;
  readonly graphId: string | null;
  readonly graphTitle: string | null;
  readonly isGraphDeleted: boolean;
  readonly view: TStepViewInput;
}

export interface TCaseStudyReaderProps {
  readonly title: string;
  readonly summary: string;
  readonly steps: readonly TReaderStep[];
  /** A published version (bodies through its capability route), or a draft preview (the graphs' own route). */
  readonly source:
    { readonly kind: "version"; readonly slug: string; readonly number: number } | { readonly kind: "draft" };
  readonly isEmbed?: boolean;
}

/** Stable across renders: the viewer reloads its graph when its searchParams change identity. */
const NO_SEARCH_PARAMS = {};

function dataUrlOf(source: TCaseStudyReaderProps["source"], graphId: string): string {
  if (source.kind === "draft") return `/api/graphs/${encodeURIComponent(graphId)}/data`;
  return `/api/case-studies/${encodeURIComponent(source.slug)}/v/${source.number}/graphs/${encodeURIComponent(graphId)}/data`;
}

function stepFromHash(count: number): number | null {
  const match = /^#step-(\d+)$/.exec(window.location.hash);
  if (!match) return null;
  const n = Number(match[1]);
  return n >= 1 && n <= count ? n - 1 : null;
}

export function CaseStudyReader({ title, summary, steps, source, isEmbed = false }: TCaseStudyReaderProps) {
  const [active, setActive] = useState(0);
  const [applied, setApplied] = useState<number | null>(null);
  const [viewer, setViewer] = useState<{ graphId: string; context: TViewerContext } | null>(null);
  const sections = useRef<(HTMLElement | null)[]>([]);
  const isJumping = useRef(false);
  const step = steps[active];
  // The graph to show: the active step's, else the nearest earlier step's (a prose-only step keeps the graph).
  const graphStep = steps
    .slice(0, active + 1)
    .reverse()
    .find((s) => s.graphId && !s.isGraphDeleted);
  const graphId = graphStep?.graphId ?? null;

  const goTo = useCallback(
    (index: number) => {
      const at = Math.max(0, Math.min(steps.length - 1, index));
      isJumping.current = true;
      setActive(at);
      sections.current[at]?.scrollIntoView({ behavior: "smooth", block: "center" });
      window.history.replaceState(window.history.state, "", `#step-${at + 1}`);
      window.setTimeout(() => (isJumping.current = false), 800);
    },
    [steps.length],
  );

  useEffect(() => {
    const fromHash = stepFromHash(steps.length);
    if (fromHash !== null) goTo(fromHash);
    const onHash = () => {
      const n = stepFromHash(steps.length);
      if (n !== null) goTo(n);
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, [goTo, steps.length]);

  useEffect(() => {
    const observer = new IntersectionObserver(
      (entries) => {
        if (isJumping.current) return;
        const seen = entries.filter((e) => e.isIntersecting).sort((a, b) => b.intersectionRatio - a.intersectionRatio);
        const index = seen[0] ? Number((seen[0].target as HTMLElement).dataset.step) : null;
        if (index !== null && Number.isInteger(index)) setActive(index);
      },
      { rootMargin: "-35% 0px -35% 0px", threshold: [0, 0.25, 0.5] },
    );
    for (const el of sections.current) if (el) observer.observe(el);
    return () => observer.disconnect();
  }, [steps.length]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
      if (e.key === "ArrowRight") goTo(active + 1);
      else if (e.key === "ArrowLeft") goTo(active - 1);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [active, goTo]);

  const applyActive = useCallback(async () => {
    if (!viewer || !step || !step.graphId || viewer.graphId !== step.graphId) return;
    setApplied(null);
    await applyStepView(viewer.context, step.view);
    setApplied(step.index);
  }, [viewer, step]);

  useEffect(() => {
    void applyActive();
  }, [applyActive]);

  // The viewer is keyed by graph: the one that reports ready is the graph shown now.
  const currentGraph = useRef<string | null>(graphId);
  useEffect(() => {
    currentGraph.current = graphId;
  }, [graphId]);
  const onReady = useCallback((context: TViewerContext) => {
    setViewer({ graphId: currentGraph.current ?? "", context });
  }, []);

  return (
    <div
      className={isEmbed ? `${styles.reader} ${styles.embed}` : styles.reader}
      data-testid="case-study-reader"
      data-active-step={active + 1}
      data-applied-step={applied === null ? "" : applied + 1}
    >
      <div className={styles.prose}>
        <header>
          <h1>{title}</h1>
          {summary && <p className="muted">{summary}</p>}
        </header>
        {steps.map((s, i) => (
          <section
            key={i}
            id={`step-${i + 1}`}
            data-step={i}
            ref={(el) => {
              sections.current[i] = el;
            }}
            className={i === active ? `${styles.step} ${styles.active}` : styles.step}
            aria-current={i === active ? "step" : undefined}
            onClick={() => i !== active && goTo(i)}
          >
            <p className="muted">
              <a href={`#step-${i + 1}`}>Step {i + 1}</a>
              {s.graphTitle ? ` · ${s.graphTitle}` : ""}
            </p>
            {s.isGraphDeleted && <p className="error">This step’s graph was deleted after publication.</p>}
            <div className="markdown" dangerouslySetInnerHTML={{ __html: s.proseHtml }} />
          </section>
        ))}
        <p className="muted">Use ← and → to move between steps.</p>
      </div>
      <div className={styles.stage}>
        <div className={styles.stageTools}>
          <button type="button" onClick={() => goTo(active - 1)} disabled={active === 0}>
            ← Previous
          </button>
          <span>
            Step {active + 1} of {steps.length}
          </span>
          <button type="button" onClick={() => goTo(active + 1)} disabled={active === steps.length - 1}>
            Next →
          </button>
          <button type="button" className="secondary" onClick={() => void applyActive()} data-testid="author-view">
            Back to the author’s view
          </button>
        </div>
        {graphId ? (
          <GraphViewer
            key={graphId}
            graphId={graphId}
            title={graphStep?.graphTitle ?? ""}
            searchParams={NO_SEARCH_PARAMS}
            subgraph={null}
            canSave={false}
            isSignedIn={false}
            isEmbed={isEmbed}
            facts={{ title: graphStep?.graphTitle ?? "", description: "", modelId: "", transcoderSet: "" }}
            caseStudy={{ dataUrl: dataUrlOf(source, graphId), onReady }}
          />
        ) : (
          <p className="muted">{step?.isGraphDeleted ? "This step’s graph was deleted." : "No graph for this step."}</p>
        )}
      </div>
    </div>
  );
}

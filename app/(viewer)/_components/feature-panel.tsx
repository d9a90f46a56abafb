"use client";
// The selected node: label (with an editable override, saved as a clerp), kind, layer, position, activation,
// influence, transcoder feature (layer, index); pin / unpin from here with the keyboard.
import { useEffect, useState } from "react";
import { featurePagePath } from "@circuitboard/shared/graph-format";
import { LabelList } from "~/app/_components/labels/label-list";
import { baseLabel, displayLabel, formatNumber, tokenAt } from "./node-facts";
import { NodeGlyph } from "./node-glyph";
import { kindStyleOf } from "./graph-style";
import { useViewState } from "./view-store";
import { useViewer } from "./viewer-context";
import { KIND_CODE } from "./viewer-graph";
import styles from "../viewer.module.css";
import { FeatureDashboard } from "../../_components/feature-dashboard/feature-dashboard";

/** The feature panel's labels section: the graph's ids, and the scope new labels go to (null: public). */
export interface TFeaturePanelLabels {
  modelId: string;
  transcoderSetId: string;
  slug: string | null;
}

export function FeaturePanel({ labels = null }: { labels?: TFeaturePanelLabels | null } = {}) {
  const { graph, store } = useViewer();
  const clicked = useViewState(store, (s) => s.clicked);
  const clerps = useViewState(store, (s) => s.clerps);
  const shownLabels = useViewState(store, (s) => s.shownLabels);
  const supernodes = useViewState(store, (s) => s.supernodes);
  const isPinned = useViewState(store, (s) => clicked !== null && s.pinned.includes(clicked));
  const [isEditing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  useEffect(() => setEditing(false), [clicked]);

  if (clicked === null) {
    return (
      <section className={styles.panel} aria-labelledby="feature-panel-title">
        <h2 id="feature-panel-title">Node</h2>
        <p className="muted" style={{ margin: 0, fontSize: ".88rem" }}>
          Click a node (or search) to see it here. Ctrl/⌘-click pins it to the subgraph; Esc clears the selection.
        </p>
      </section>
    );
  }
  const kind = graph.kinds[clicked]!;
  const label = displayLabel(graph, { clerps, supernodes, shownLabels }, clicked);
  const feature =
    labels && graph.featureIndex[clicked]! >= 0
      ? {
          modelId: labels.modelId,
          transcoderSetId: labels.transcoderSetId,
          layer: graph.featureLayer[clicked]!,
          index: graph.featureIndex[clicked]!,
        }
      : null;
  const labelKey = graph.labelKeys[clicked] ?? "";
  const hasOverride = clerps.has(labelKey);
  return (
    <section className={styles.panel} aria-labelledby="feature-panel-title" data-testid="feature-panel">
      <h2 id="feature-panel-title">
        <NodeGlyph kind={kind} /> <span data-testid="feature-label">{label}</span>
      </h2>
      {isEditing ? (
        <form
          className={styles.inline}
          onSubmit={(e) => {
            e.preventDefault();
            store.setClerp(labelKey, draft.trim() === "" ? null : draft.trim());
            setEditing(false);
          }}
        >
          <label className="sr-only" htmlFor="clerp-input">
            Label
          </label>
          <input id="clerp-input" value={draft} maxLength={500} autoFocus onChange={(e) => setDraft(e.target.value)} />
          <button type="submit">Save label</button>
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className={styles.inline}>
          <button type="button" onClick={() => store.togglePin(clicked)} aria-pressed={isPinned}>
            {isPinned ? "Unpin" : "Pin to subgraph"}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(baseLabel(graph, clerps, clicked));
              setEditing(true);
            }}
          >
            Edit label
          </button>
          {hasOverride && (
            <button
              type="button"
              className="secondary"
              onClick={() => store.setClerp(labelKey, null)}
              title={`Original: ${graph.clerps[clicked] || "none"}`}
            >
              Original label
            </button>
          )}
        </div>
      )}
      <dl className={styles.facts} style={{ marginTop: ".4rem" }}>
        <dt>Node</dt>
        <dd>
          <code>{graph.nodeIds[clicked]}</code>
        </dd>
        <dt>Kind</dt>
        <dd>
          {kindStyleOf(kind).name}
          {graph.featureTypes[clicked] && graph.featureTypes[clicked] !== kindStyleOf(kind).name && (
            <span className="muted"> ({graph.featureTypes[clicked]})</span>
          )}
        </dd>
        <dt>Layer</dt>
        <dd>{kind === KIND_CODE.embedding ? "embedding" : graph.layers[clicked]}</dd>
        <dt>Token</dt>
        <dd>
          {tokenAt(graph, clicked)} (position {graph.ctxIdx[clicked]})
        </dd>
        {graph.featureIndex[clicked]! >= 0 && (
          <>
            <dt>Feature</dt>
            <dd>
              layer {graph.featureLayer[clicked]}, index {graph.featureIndex[clicked]}
            </dd>
          </>
        )}
        {!Number.isNaN(graph.activation[clicked]!) && (
          <>
            <dt>Activation</dt>
            <dd>{formatNumber(graph.activation[clicked]!)}</dd>
          </>
        )}
        {!Number.isNaN(graph.influence[clicked]!) && (
          <>
            <dt>Influence</dt>
            <dd>
              {formatNumber(graph.influence[clicked]!)} <span className="muted">(cumulative)</span>
            </dd>
          </>
        )}
        {kind === KIND_CODE.logit && !Number.isNaN(graph.tokenProb[clicked]!) && (
          <>
            <dt>Probability</dt>
            <dd>{formatNumber(graph.tokenProb[clicked]!)}</dd>
          </>
        )}
        {hasOverride && graph.clerps[clicked] && (
          <>
            <dt>File label</dt>
            <dd>{graph.clerps[clicked]}</dd>
          </>
        )}
      </dl>
      {feature && labels && (
        <div data-testid="feature-labels" style={{ marginTop: ".5rem" }}>
          <h3 style={{ fontSize: ".9rem", margin: ".3rem 0" }}>
            Labels{" "}
            <span className="muted" style={{ fontWeight: "normal" }}>
              ({labels.slug ? "this workspace and public" : "public"})
            </span>
          </h3>
          <LabelList
            feature={feature}
            slug={labels.slug}
            proposal={hasOverride ? (clerps.get(labelKey) ?? null) : null}
          />
          <FeatureDashboard feature={feature} variant="compact" />
          <p style={{ margin: ".3rem 0 0", fontSize: ".85rem" }}>
            <a href={featurePagePath(feature)} data-testid="feature-page-link">
              Feature page
            </a>
          </p>
        </div>
      )}
    </section>
  );
}

"use client";
// The subgraph being built: pinned nodes, grouping them into labelled supernodes (rename, ungroup), and
// saving the view as a named subgraph of the graph (editors and above) or loading a saved one.
import { useState } from "react";
import { displayLabel, tokenAt } from "./node-facts";
import { NodeGlyph } from "./node-glyph";
import { SavedSubgraphs, type TSubgraphSaveProps } from "./saved-subgraphs";
import { SubgraphDiagram } from "./subgraph-diagram-view";
import { useViewState } from "./view-store";
import { useViewer } from "./viewer-context";
import styles from "../viewer.module.css";

function PinnedRow({
  node,
  isChecked,
  onCheck,
}: {
  node: number;
  isChecked: boolean;
  onCheck: (isChecked: boolean) => void;
}) {
  const { graph, store } = useViewer();
  const clerps = useViewState(store, (s) => s.clerps);
  const shownLabels = useViewState(store, (s) => s.shownLabels);
  const supernodes = useViewState(store, (s) => s.supernodes);
  const label = displayLabel(graph, { clerps, supernodes, shownLabels }, node);
  return (
    <li data-node-id={graph.nodeIds[node]}>
      <input
        type="checkbox"
        checked={isChecked}
        onChange={(e) => onCheck(e.target.checked)}
        aria-label={`Select ${label} for grouping`}
      />
      <NodeGlyph kind={graph.kinds[node]!} />
      <span className="label" title={label}>
        <button
          type="button"
          className={styles.row}
          style={{ display: "inline", width: "auto" }}
          onClick={() => store.select(node)}
        >
          {label}
        </button>{" "}
        <span className="muted">{tokenAt(graph, node)}</span>
      </span>
      <button type="button" className="secondary" onClick={() => store.unpin([node])} aria-label={`Unpin ${label}`}>
        Unpin
      </button>
    </li>
  );
}

function SupernodeLabel({ index, label }: { index: number; label: string }) {
  const { store } = useViewer();
  const [draft, setDraft] = useState(label);
  const commit = () => {
    const value = draft.trim();
    if (value && value !== label) store.renameSupernode(index, value);
    else setDraft(label);
  };
  return (
    <input
      aria-label={`Supernode name (${label})`}
      value={draft}
      maxLength={200}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}

export function SubgraphPanel({ graphId, canSave, isSignedIn, onSaved }: TSubgraphSaveProps) {
  const { graph, store } = useViewer();
  const pinned = useViewState(store, (s) => s.pinned);
  const supernodes = useViewState(store, (s) => s.supernodes);
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set());
  const [groupLabel, setGroupLabel] = useState("");
  const grouped = new Set(supernodes.flatMap((s) => s.members));
  const loose = pinned.filter((p) => !grouped.has(p));
  const selected = pinned.filter((p) => checked.has(p));
  const check = (node: number) => (isChecked: boolean) =>
    setChecked((prev) => {
      const next = new Set(prev);
      if (isChecked) next.add(node);
      else next.delete(node);
      return next;
    });

  return (
    <section className={styles.panel} aria-labelledby="subgraph-title" data-testid="subgraph-panel">
      <h2 id="subgraph-title">
        Subgraph{" "}
        <span className={styles.num}>
          ({pinned.length} pinned{supernodes.length ? `, ${supernodes.length} supernodes` : ""})
        </span>
      </h2>
      {pinned.length === 0 && (
        <p className="muted" style={{ margin: 0, fontSize: ".88rem" }}>
          Ctrl/⌘-click nodes in the graph or in the connections list, or use “Pin to subgraph”, to collect them here.
        </p>
      )}
      <SubgraphDiagram />
      {supernodes.map((sn, index) => (
        <div
          key={`${index}-${sn.label}`}
          className={styles.supernode}
          role="group"
          aria-label={`Supernode ${sn.label}`}
          data-testid="supernode"
        >
          <div className={styles.inline}>
            <SupernodeLabel index={index} label={sn.label} />
            <button type="button" className="secondary" onClick={() => store.ungroup(index)}>
              Ungroup
            </button>
          </div>
          <ul className={styles.pinList}>
            {sn.members.map((m) => (
              <PinnedRow key={m} node={m} isChecked={checked.has(m)} onCheck={check(m)} />
            ))}
          </ul>
        </div>
      ))}
      {loose.length > 0 && (
        <ul className={styles.pinList} aria-label="Pinned nodes">
          {loose.map((p) => (
            <PinnedRow key={p} node={p} isChecked={checked.has(p)} onCheck={check(p)} />
          ))}
        </ul>
      )}
      {pinned.length > 0 && (
        <form
          className={styles.inline}
          style={{ marginTop: ".5rem" }}
          aria-label="Group into a supernode"
          onSubmit={(e) => {
            e.preventDefault();
            if (selected.length < 2) return;
            const label = groupLabel.trim() || displayLabel(graph, store.get(), selected[0]!);
            store.group(selected, label);
            setChecked(new Set());
            setGroupLabel("");
          }}
        >
          <label className={styles.inline}>
            Supernode name
            <input
              value={groupLabel}
              maxLength={200}
              onChange={(e) => setGroupLabel(e.target.value)}
              placeholder="e.g. Texas"
            />
          </label>
          <button type="submit" disabled={selected.length < 2}>
            Group {selected.length} selected
          </button>
          <button type="button" className="secondary" onClick={() => store.clearPins()}>
            Clear all
          </button>
        </form>
      )}
      <SavedSubgraphs graphId={graphId} canSave={canSave} isSignedIn={isSignedIn} onSaved={onSaved} />
    </section>
  );
}

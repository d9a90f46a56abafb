"use client";
// Inputs and outputs of the selected node, grouped by the other node's token and sorted by weight, each with
// its share of the target's total |input|. Click a row to select that node, Ctrl/⌘-click to pin it; the row
// under the pointer or keyboard focus is emphasised in the graph. Long lists show their first rows until
// asked for all (a node can have 10^4 links).
import { useEffect, useLayoutEffect, useMemo, useState } from "react";
import { requestComment, useCommentsAvailable } from "./comments/request-comment";
import { connectionsOf, type TConnectionList } from "./node-connections";
import { displayLabel, formatPercent, formatToken, isPrunedByThreshold } from "./node-facts";
import { NodeGlyph } from "./node-glyph";
import { signedColor } from "./graph-style";
import { useViewState } from "./view-store";
import { useViewer } from "./viewer-context";
import styles from "../viewer.module.css";

const FIRST_ROWS = 60;

function ConnectionList({ title, list, node }: { title: string; list: TConnectionList; node: number }) {
  const { graph, store } = useViewer();
  const threshold = useViewState(store, (s) => s.threshold);
  const clerps = useViewState(store, (s) => s.clerps);
  const shownLabels = useViewState(store, (s) => s.shownLabels);
  const supernodes = useViewState(store, (s) => s.supernodes);
  const [isShowingAll, setShowingAll] = useState(false);
  const canComment = useCommentsAvailable();
  useEffect(() => setShowingAll(false), [node]);
  let budget = isShowingAll ? Number.POSITIVE_INFINITY : FIRST_ROWS;
  const slug = title.toLowerCase();
  return (
    <section aria-label={`${title} of the selected node`} data-testid={`connections-${slug}`}>
      <h3>
        {title} <span className={styles.num}>({list.total.toLocaleString("en")})</span>
      </h3>
      {list.total === 0 && (
        <p className="muted" style={{ margin: 0, fontSize: ".84rem" }}>
          None.
        </p>
      )}
      <div className={styles.rows}>
        {list.groups.map((group) => {
          if (budget <= 0) return null;
          const rows = group.rows.slice(0, budget);
          budget -= rows.length;
          return (
            <div key={group.ctxIdx} role="group" aria-label={`token ${formatToken(graph.tokens[group.ctxIdx])}`}>
              <div className={styles.tokenHead}>
                {formatToken(graph.tokens[group.ctxIdx])} <span className="muted">· position {group.ctxIdx}</span>
              </div>
              <ul className={styles.rows} style={{ maxHeight: "none" }}>
                {rows.map((row) => (
                  <li key={row.link} className={canComment ? styles.rowWithAction : undefined}>
                    <button
                      type="button"
                      className={styles.row}
                      data-node-id={graph.nodeIds[row.node]}
                      title="Click: select · Ctrl/⌘-click: pin"
                      onClick={(e) => (e.ctrlKey || e.metaKey ? store.togglePin(row.node) : store.select(row.node))}
                      onMouseEnter={() => store.update({ focused: row.node })}
                      onMouseLeave={() => store.update({ focused: null })}
                      onFocus={() => store.update({ focused: row.node })}
                      onBlur={() => store.update({ focused: null })}
                    >
                      <NodeGlyph kind={graph.kinds[row.node]!} color={signedColor(row.fractionOfInput)} />
                      <span className={styles.rowLabel}>
                        {displayLabel(graph, { clerps, supernodes, shownLabels }, row.node)}
                        {isPrunedByThreshold(graph, row.node, threshold) && (
                          <span className={styles.hiddenTag}>hidden by threshold</span>
                        )}
                      </span>
                      <span className={styles.num}>
                        {row.weight >= 0 ? "+" : ""}
                        {row.weight.toFixed(3)}
                      </span>
                      <span className={styles.num} title="share of the target's total |input|">
                        {formatPercent(row.fractionOfInput)}
                      </span>
                    </button>
                    {canComment && (
                      <button
                        type="button"
                        className={styles.rowAction}
                        aria-label={`Comment on node ${graph.nodeIds[row.node]}`}
                        title="Comment on this node"
                        onClick={() => requestComment({ kind: "node", nodeId: graph.nodeIds[row.node]! })}
                      >
                        💬
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      {!isShowingAll && list.total > FIRST_ROWS && (
        <button type="button" className="secondary" onClick={() => setShowingAll(true)}>
          Show all {list.total.toLocaleString("en")}
        </button>
      )}
    </section>
  );
}

export function ConnectionsPanel() {
  const { graph, store } = useViewer();
  const clicked = useViewState(store, (s) => s.clicked);
  const lists = useMemo(
    () =>
      clicked === null
        ? null
        : { inputs: connectionsOf(graph, clicked, "inputs"), outputs: connectionsOf(graph, clicked, "outputs") },
    [graph, clicked],
  );
  useLayoutEffect(() => {
    if (clicked !== null) performance.mark("viewer:connections", { detail: { node: clicked } });
  }, [clicked]);
  return (
    <section className={styles.panel} aria-labelledby="connections-title" data-testid="connections-panel">
      <h2 id="connections-title">Connections</h2>
      {lists === null || clicked === null ? (
        <p className="muted" style={{ margin: 0, fontSize: ".88rem" }}>
          Select a node to list its inputs and outputs.
        </p>
      ) : (
        <>
          <ConnectionList title="Inputs" list={lists.inputs} node={clicked} />
          <ConnectionList title="Outputs" list={lists.outputs} node={clicked} />
        </>
      )}
    </section>
  );
}

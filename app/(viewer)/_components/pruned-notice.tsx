"use client";
// Says why a selected node would be invisible: the pruning threshold hides it (it is drawn while selected),
// and offers to move the threshold just far enough to show it.
import { displayLabel, formatNumber, isPrunedByThreshold } from "./node-facts";
import { useViewState } from "./view-store";
import { useViewer } from "./viewer-context";
import styles from "../viewer.module.css";

export function PrunedNotice() {
  const { graph, store } = useViewer();
  const clicked = useViewState(store, (s) => s.clicked);
  const threshold = useViewState(store, (s) => s.threshold);
  useViewState(store, (s) => s.clerps);
  if (clicked === null || !isPrunedByThreshold(graph, clicked, threshold)) return null;
  const influence = graph.influence[clicked]!;
  const needed = Math.min(1, Math.ceil(influence * 100) / 100);
  return (
    <p className={styles.notice} data-testid="pruned-notice">
      <strong>“{displayLabel(graph, store.get(), clicked)}” is hidden by the pruning threshold</strong>: its cumulative
      influence {formatNumber(influence)} is above {formatNumber(threshold, 2)}. It is drawn only while selected.{" "}
      <button type="button" className="secondary" onClick={() => store.update({ threshold: needed })}>
        Show nodes up to {needed.toFixed(2)}
      </button>
    </p>
  );
}

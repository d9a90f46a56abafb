"use client";
// Search box (a combobox): type, pick with the arrow keys and Enter, and the graph jumps to the node and
// selects it. When the node is pruned by the threshold, the notice under the toolbar says so and why.
import { useId, useMemo, useState } from "react";
import { isPrunedByThreshold } from "./node-facts";
import { NodeGlyph } from "./node-glyph";
import { searchNodes, type TSearchHit } from "./search-nodes";
import { useViewState } from "./view-store";
import { useViewer } from "./viewer-context";
import styles from "../viewer.module.css";

export function SearchBox({ inputRef }: { inputRef?: React.RefObject<HTMLInputElement | null> }) {
  const { graph, store, renderer } = useViewer();
  const clerps = useViewState(store, (s) => s.clerps);
  const shownLabels = useViewState(store, (s) => s.shownLabels);
  const threshold = useViewState(store, (s) => s.threshold);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const [isOpen, setOpen] = useState(false);
  const listId = useId();
  const hits = useMemo(() => searchNodes(graph, clerps, query, 30, shownLabels), [graph, clerps, query, shownLabels]);

  function choose(hit: TSearchHit) {
    store.select(hit.node);
    renderer?.focusNode(hit.node);
    setOpen(false);
  }

  return (
    <div className={styles.search}>
      <label>
        Search
        <input
          ref={inputRef}
          type="search"
          role="combobox"
          aria-expanded={isOpen && hits.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={isOpen && hits[active] ? `${listId}-${active}` : undefined}
          placeholder="label, node id or token"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              setActive((a) => Math.min(a + 1, hits.length - 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === "Enter" && hits[active]) {
              e.preventDefault();
              choose(hits[active]);
            } else if (e.key === "Escape") {
              setOpen(false);
            }
          }}
        />
      </label>
      {isOpen && query.trim() !== "" && (
        <ul id={listId} role="listbox" aria-label="Search results" className={styles.results}>
          {hits.length === 0 && (
            <li role="option" aria-selected="false" aria-disabled="true">
              No node matches “{query}”
            </li>
          )}
          {hits.map((hit, k) => (
            <li
              key={`${hit.node}-${hit.matchedOn}`}
              id={`${listId}-${k}`}
              role="option"
              aria-selected={k === active}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(hit);
              }}
            >
              <span>
                <NodeGlyph kind={graph.kinds[hit.node]!} /> {hit.text}
              </span>
              <span className="muted">
                {hit.matchedOn}
                {isPrunedByThreshold(graph, hit.node, threshold) && (
                  <span className={styles.hiddenTag}>hidden by threshold</span>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

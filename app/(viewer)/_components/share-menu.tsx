"use client";
// Share: the link to this view and, for public and unlisted graphs, an <iframe> snippet of its embed
// (/embed/g/:id, cookie-less, framable; a private graph has no embed).
import { useEffect, useState } from "react";
import styles from "../viewer.module.css";

export function ShareMenu({ graphId, visibility }: { graphId: string; visibility: string }) {
  const [origin, setOrigin] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    setOrigin(window.location.origin);
    setQuery(window.location.search);
  }, []);
  const embedUrl = `${origin}/embed/g/${encodeURIComponent(graphId)}${query}`;
  const snippet = `<iframe src="${embedUrl}" width="100%" height="600" style="border:0" loading="lazy" title="Attribution graph"></iframe>`;
  return (
    <details className={styles.share} data-closes-on-escape onToggle={() => setQuery(window.location.search)}>
      <summary>Share</summary>
      <label>
        Link to this view
        <input
          readOnly
          value={`${origin}/g/${encodeURIComponent(graphId)}${query}`}
          onFocus={(e) => e.target.select()}
        />
      </label>
      {visibility === "private" ? (
        <p className="muted">Embeds show public and unlisted graphs only: make the graph unlisted to embed it.</p>
      ) : (
        <label>
          Embed (copy into your page)
          <textarea readOnly rows={3} value={snippet} onFocus={(e) => e.target.select()} data-testid="embed-snippet" />
        </label>
      )}
    </details>
  );
}

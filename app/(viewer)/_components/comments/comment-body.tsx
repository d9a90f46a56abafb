"use client";
// A rendered comment: HTML that the server produced with markdown-it and sanitised with sanitize-html
// (server/services/comments/render-markdown.ts); the browser never parses markdown. Clicking a node
// reference selects that node.
import styles from "./comments.module.css";

export function CommentBody({ html, onNodeRef }: { html: string; onNodeRef: (nodeId: string) => void }) {
  return (
    <div
      className={styles.body}
      data-testid="comment-body"
      onClick={(e) => {
        const link = (e.target as HTMLElement).closest<HTMLAnchorElement>("a[data-node-ref]");
        if (!link) return;
        e.preventDefault();
        onNodeRef(link.dataset.nodeRef ?? "");
      }}
      // Sanitised on the server (allow-listed tags, attributes and URL schemes; no raw HTML accepted).
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

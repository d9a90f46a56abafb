"use client";
// A comment box: markdown, "@" autocompletes workspace members (inserting @[Name](id)), and the selected
// node can be inserted as a [[node id]] reference.
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTRPC } from "~/app/_trpc/react";
import styles from "./comments.module.css";

const MAX_CHARS = 10_000;

export function CommentComposer({
  graphId,
  label,
  submitLabel,
  initial = "",
  selectedNodeId,
  onSubmit,
  onCancel,
  role,
}: {
  /** data-role of the form, for focusing it from elsewhere (request-comment.ts). */
  role?: string;
  graphId: string;
  label: string;
  submitLabel: string;
  initial?: string;
  selectedNodeId: string | null;
  onSubmit: (body: string) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const trpc = useTRPC();
  const [body, setBody] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);
  const [mentionQuery, setMentionQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const suggestions = useQuery({
    ...trpc.comment.mentionable.queryOptions({ graphId, query: mentionQuery ?? "" }),
    enabled: mentionQuery !== null,
  });
  const people = mentionQuery !== null ? (suggestions.data ?? []) : [];

  const findMention = (text: string, caret: number) => /(?:^|\s)@([\p{L}\p{N}._-]{0,40})$/u.exec(text.slice(0, caret));

  const insertAtMention = (person: { id: string; name: string }) => {
    const el = textarea.current;
    const caret = el?.selectionStart ?? body.length;
    const match = findMention(body, caret);
    if (!match) return;
    const start = caret - match[1]!.length - 1;
    const token = `@[${person.name.replace(/[[\]]/g, "")}](${person.id}) `;
    const next = body.slice(0, start) + token + body.slice(caret);
    setBody(next);
    setMentionQuery(null);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const submit = async () => {
    setError(null);
    setPending(true);
    try {
      await onSubmit(body);
      setBody("");
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      className={styles.composer}
      data-role={role}
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={textarea}
        aria-label={label}
        value={body}
        maxLength={MAX_CHARS}
        placeholder="Markdown; @ mentions a member; [[node id]] links a node"
        onChange={(e) => {
          setBody(e.target.value);
          const match = findMention(e.target.value, e.target.selectionStart);
          setMentionQuery(match ? match[1]! : null);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (people.length > 0 && mentionQuery !== null) {
            if (e.key === "ArrowDown" || e.key === "ArrowUp") {
              e.preventDefault();
              setActive((a) => (a + (e.key === "ArrowDown" ? 1 : people.length - 1)) % people.length);
              return;
            }
            if (e.key === "Enter" || e.key === "Tab") {
              e.preventDefault();
              insertAtMention(people[active] ?? people[0]!);
              return;
            }
            if (e.key === "Escape") {
              e.stopPropagation();
              setMentionQuery(null);
              return;
            }
          }
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          }
          e.stopPropagation(); // typing "/" or Esc here is text, not a viewer shortcut
        }}
      />
      {people.length > 0 && mentionQuery !== null && (
        <ul className={styles.suggestions} role="listbox" aria-label="Mention a member">
          {people.map((p, i) => (
            <li key={p.id}>
              <button
                type="button"
                role="option"
                aria-selected={i === active}
                data-active={i === active ? "true" : "false"}
                onMouseDown={(e) => {
                  e.preventDefault();
                  insertAtMention(p);
                }}
              >
                {p.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className={styles.meta}>
        <button type="submit" disabled={isPending || body.trim() === ""}>
          {submitLabel}
        </button>
        {selectedNodeId && (
          <button
            type="button"
            onClick={() => setBody((b) => `${b}${b && !b.endsWith(" ") ? " " : ""}[[${selectedNodeId}]] `)}
          >
            Insert [[{selectedNodeId}]]
          </button>
        )}
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <span>
          {body.length.toLocaleString("en")} / {MAX_CHARS.toLocaleString("en")}
        </span>
      </div>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

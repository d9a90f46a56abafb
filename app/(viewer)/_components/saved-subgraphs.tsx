"use client";
// Save the current view as a named subgraph (tRPC subgraph.create: editors and above), and the list of saved
// subgraphs of this graph, each a ?s=<id> link anyone who can read the graph can open.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/app/_trpc/react";
import { viewStateRefs } from "./url-view-state";
import { useViewer } from "./viewer-context";
import styles from "../viewer.module.css";

/** What the subgraph panel and its saved-subgraphs list need to save a view. */
export interface TSubgraphSaveProps {
  graphId: string;
  canSave: boolean;
  isSignedIn: boolean;
  onSaved: (subgraphId: string) => void;
}

export function SavedSubgraphs({ graphId, canSave, isSignedIn, onSaved }: TSubgraphSaveProps) {
  const { graph, store } = useViewer();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = useQuery(trpc.subgraph.list.queryOptions({ graphId }));
  const create = useMutation(trpc.subgraph.create.mutationOptions());
  const [name, setName] = useState("");
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  async function save() {
    const refs = viewStateRefs(graph, store.get());
    setMessage(null);
    try {
      const row = await create.mutateAsync({
        graphId,
        name: name.trim(),
        state: {
          pinnedIds: [...refs.pinnedIds],
          supernodes: refs.supernodes.map((s) => [...s]),
          clerps: refs.clerps.map(([id, label]) => [id, label] as [string, string]),
          clickedId: refs.clickedId,
          linkType: "both",
          positions: refs.positions,
          ...(refs.pruningThreshold !== null ? { pruningThreshold: refs.pruningThreshold } : {}),
        },
      });
      onSaved(row.id);
      setName("");
      setMessage({ kind: "ok", text: `Saved “${row.name}”.` });
      await queryClient.invalidateQueries({ queryKey: trpc.subgraph.list.queryKey({ graphId }) });
    } catch (error) {
      setMessage({ kind: "error", text: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <div style={{ marginTop: ".6rem" }}>
      {canSave ? (
        <form
          className={styles.inline}
          aria-label="Save subgraph"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label className={styles.inline}>
            Subgraph name
            <input value={name} required maxLength={120} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" disabled={create.isPending || name.trim() === ""}>
            {create.isPending ? "Saving…" : "Save subgraph"}
          </button>
        </form>
      ) : (
        <p className="muted" style={{ margin: 0, fontSize: ".84rem" }}>
          {isSignedIn
            ? "Saving subgraphs needs the editor role in this graph's workspace."
            : "Sign in as a workspace editor to save subgraphs."}{" "}
          The address bar always holds the current view, so copying it shares it.
        </p>
      )}
      {message && (
        <p
          role={message.kind === "error" ? "alert" : "status"}
          className={message.kind === "error" ? "error" : "ok"}
          style={{ margin: ".3rem 0" }}
        >
          {message.text}
        </p>
      )}
      {saved.data && saved.data.length > 0 && (
        <>
          <h3>Saved subgraphs</h3>
          <ul className={styles.pinList} aria-label="Saved subgraphs">
            {saved.data.map((s) => (
              <li key={s.id}>
                <a href={`?s=${encodeURIComponent(s.id)}`}>{s.name}</a>
                <span className="muted">
                  {s.createdBy} · {new Date(s.createdAt).toISOString().slice(0, 10)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

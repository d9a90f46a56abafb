"use client";
// Interventions from the graph: the pinned features (supernodes included) are ablated, scaled by k or
// clamped to a value, at every position or where they are pinned; the run is a job on a worker serving the
// graph's model; its result is saved with the graph, listed here, and opens by URL (?intervention=<id>).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TInterventionTarget } from "@circuitboard/shared/job-payload";
import { useTRPC } from "~/app/_trpc/react";
import { useViewState } from "../view-store";
import { useViewer } from "../viewer-context";
import styles from "../../viewer.module.css";
import { InterventionResult } from "./intervention-result";
import { pinnedFeatures, targetsOf } from "./intervention-targets";

type TOp = "ablate" | "scale" | "clamp";

function describeTargets(targets: readonly TInterventionTarget[]): string {
  return targets.map((t) => `L${t.layer}#${t.feature}${t.positions ? `@${t.positions.join(",")}` : ""}`).join(", ");
}

export function InterventionPanel({
  graphId,
  canRun,
  openId,
}: {
  graphId: string;
  canRun: boolean;
  openId: string | null;
}) {
  const trpc = useTRPC();
  const { graph, store } = useViewer();
  const pinned = useViewState(store, (s) => s.pinned);
  const features = pinnedFeatures(graph, pinned);
  const [op, setOp] = useState<TOp>("ablate");
  const [value, setValue] = useState("0");
  const [isEveryPosition, setEveryPosition] = useState(false);
  const [shownId, setShownId] = useState<string | null>(openId);
  const create = useMutation(trpc.intervention.create.mutationOptions());
  const list = useQuery({
    ...trpc.intervention.list.queryOptions({ graphId }),
    refetchInterval: (q) =>
      q.state.data?.some((i) => i.job.status === "queued" || i.job.status === "running") ? 1000 : false,
  });
  const shown = useQuery({
    ...trpc.intervention.get.queryOptions({ interventionId: shownId ?? "" }),
    enabled: Boolean(shownId),
    refetchInterval: (q) => (q.state.data && !["queued", "running"].includes(q.state.data.job.status) ? false : 1000),
  });
  const targets = targetsOf(features, isEveryPosition);

  return (
    <section className={styles.panel} aria-label="Interventions">
      <h2 style={{ fontSize: "1rem", margin: ".2rem 0" }}>Interventions</h2>
      {canRun && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              {
                graphId,
                targets,
                op,
                value: op === "ablate" ? 0 : Number(value),
                name: `${op} ${describeTargets(targets)}`.slice(0, 120),
              },
              {
                onSuccess: (r) => {
                  setShownId(r.id);
                  void list.refetch();
                },
              },
            );
          }}
        >
          <p className="muted" style={{ margin: ".2rem 0" }}>
            {features.length === 0
              ? "Pin feature nodes (Ctrl/⌘-click) to intervene on them."
              : `${features.length} pinned feature node${features.length === 1 ? "" : "s"}: ${describeTargets(targets)}`}
          </p>
          <div style={{ display: "flex", gap: ".5rem", flexWrap: "wrap", alignItems: "end" }}>
            <label>
              Intervention
              <select value={op} onChange={(e) => setOp(e.target.value as TOp)}>
                <option value="ablate">ablate (set to 0)</option>
                <option value="scale">scale by k</option>
                <option value="clamp">clamp to a value</option>
              </select>
            </label>
            {op !== "ablate" && (
              <label>
                {op === "scale" ? "k" : "Value"}
                <input type="number" step="any" value={value} onChange={(e) => setValue(e.target.value)} required />
              </label>
            )}
            <label>
              <input type="checkbox" checked={isEveryPosition} onChange={(e) => setEveryPosition(e.target.checked)} />{" "}
              at every position
            </label>
            <button type="submit" disabled={features.length === 0 || create.isPending}>
              Run intervention
            </button>
          </div>
          {create.error && (
            <p role="alert" className="error">
              {create.error.message}
            </p>
          )}
        </form>
      )}
      {shown.data && (
        <div aria-label="Intervention result" role="region">
          <p style={{ margin: ".3rem 0" }}>
            <strong>{shown.data.name || "Intervention"}</strong>{" "}
            <span className="muted">
              by {shown.data.createdBy} · <a href={`/g/${graphId}?intervention=${shown.data.id}`}>link</a>
            </span>
          </p>
          {shown.data.result ? (
            <InterventionResult result={shown.data.result} />
          ) : shown.data.job.status === "failed" ? (
            <p className="error">{shown.data.job.error}</p>
          ) : (
            <p role="status">
              {shown.data.job.status === "queued" ? "Waiting for a worker…" : `Running (${shown.data.job.phase})…`}
            </p>
          )}
        </div>
      )}
      {shown.error && <p className="error">{shown.error.message}</p>}
      {(list.data?.length ?? 0) > 0 && (
        <ul className="plain" aria-label="Saved interventions">
          {list.data!.map((i) => (
            <li key={i.id}>
              <button type="button" className="secondary" onClick={() => setShownId(i.id)}>
                {i.name || i.id}
              </button>
              <span className="muted">
                {i.job.status} · {i.createdBy}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

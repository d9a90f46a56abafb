"use client";
// "Capture current view": sends what is on screen (view state, camera, link mode) to a draft case study of
// the graph's workspace as a new step (tRPC caseStudy.addStep; editors). Self-contained: one button in the
// viewer's tools area.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/app/_trpc/react";
import { captureStepView } from "./case-study-view";
import { useViewer } from "./viewer-context";
import styles from "../viewer.module.css";

/** A PNG of what the canvas shows, as a data URL; null when too large to keep (or no renderer yet). */
async function previewPng({ renderer }: ReturnType<typeof useViewer>): Promise<string | null> {
  const blob = renderer ? await renderer.exportPng() : null;
  if (!blob || blob.size > 1_000_000) return null;
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : null);
    reader.onerror = () => resolve(null);
    reader.readAsDataURL(blob);
  });
}

export function CaptureToStudy({ graphId }: { graphId: string }) {
  const viewer = useViewer();
  const trpc = useTRPC();
  const graph = useQuery(trpc.graph.get.queryOptions({ graphId }));
  const slug = graph.data?.workspace.slug ?? "";
  const studies = useQuery({ ...trpc.caseStudy.list.queryOptions({ slug }), enabled: slug !== "" });
  const add = useMutation(trpc.caseStudy.addStep.mutationOptions());
  const [studyId, setStudyId] = useState("");
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const chosen = studyId || studies.data?.[0]?.id || "";

  async function capture() {
    setMessage(null);
    try {
      const view = captureStepView(viewer);
      const preview = await previewPng(viewer);
      await add.mutateAsync({ caseStudyId: chosen, graphId, view, ...(preview ? { preview } : {}) });
      setMessage({ kind: "ok", text: "Captured as a new step." });
    } catch (error) {
      setMessage({ kind: "error", text: error instanceof Error ? error.message : String(error) });
    }
  }

  if (!studies.data) return null;
  return (
    <details className={styles.share} data-testid="capture-to-study">
      <summary>Capture for a case study</summary>
      {studies.data.length === 0 ? (
        <p className="muted">
          No case study yet: <a href={`/w/${encodeURIComponent(slug)}/studies`}>start one</a>.
        </p>
      ) : (
        <div className={styles.inline}>
          <select aria-label="Case study" value={chosen} onChange={(e) => setStudyId(e.target.value)}>
            {studies.data.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void capture()} disabled={add.isPending || !chosen}>
            Capture current view
          </button>
        </div>
      )}
      {message && (
        <p className={message.kind === "error" ? "error" : "muted"} role="status">
          {message.text}{" "}
          {message.kind === "ok" && (
            <a href={`/w/${encodeURIComponent(slug)}/studies/${encodeURIComponent(chosen)}`}>Open the study</a>
          )}
        </p>
      )}
    </details>
  );
}

"use client";
/**
 * Import a graph file into the workspace: drag-and-drop or file picker, a progress bar while the bytes
 * go up (XMLHttpRequest, because fetch has no upload progress), and the server's message when the file
 * cannot be read (it names the JSON path of the problem).
 */
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import type { GraphVisibility } from "~/server/authz/policy";

const MAX_BYTES = 200 * 1024 * 1024;

type Status =
  | { kind: "idle" }
  | { kind: "uploading"; fileName: string; loaded: number; total: number }
  | { kind: "processing"; fileName: string }
  | { kind: "done"; id: string; title: string; warnings: readonly string[] }
  | { kind: "error"; message: string };

export function GraphUpload({ slug, maxBytes = MAX_BYTES }: { slug: string; maxBytes?: number }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [isOver, setOver] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);
  const visibilityRef = useRef<HTMLSelectElement>(null);
  const isBusy = status.kind === "uploading" || status.kind === "processing";

  function upload(file: File) {
    if (file.size > maxBytes) {
      setStatus({
        kind: "error",
        message: `${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the limit is ${(maxBytes / 1e6).toFixed(0)} MB`,
      });
      return;
    }
    const params = new URLSearchParams();
    const title = titleRef.current?.value.trim();
    if (title) params.set("title", title);
    params.set("visibility", (visibilityRef.current?.value ?? "private") as GraphVisibility);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/workspaces/${encodeURIComponent(slug)}/graphs?${params}`);
    xhr.setRequestHeader("content-type", "application/json");
    xhr.upload.onprogress = (e) =>
      setStatus({ kind: "uploading", fileName: file.name, loaded: e.loaded, total: e.total || file.size });
    xhr.upload.onload = () => setStatus({ kind: "processing", fileName: file.name });
    xhr.onerror = () => setStatus({ kind: "error", message: "The upload failed (network error); try again" });
    xhr.onload = () => {
      let body: { id?: string; title?: string; warnings?: string[]; error?: { message?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* a non-JSON answer is reported below */
      }
      if (xhr.status === 201 && body.id) {
        setStatus({ kind: "done", id: body.id, title: body.title ?? file.name, warnings: body.warnings ?? [] });
        if (titleRef.current) titleRef.current.value = "";
        router.refresh();
      } else {
        setStatus({ kind: "error", message: body.error?.message ?? `The server answered ${xhr.status}` });
      }
    };
    setStatus({ kind: "uploading", fileName: file.name, loaded: 0, total: file.size });
    xhr.send(file);
  }

  return (
    <section className="card" aria-label="Import a graph">
      <div
        role="group"
        aria-label="Drop a graph file here"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer.files[0];
          if (file && !isBusy) upload(file);
        }}
        style={{
          border: `2px dashed ${isOver ? "var(--accent)" : "var(--line)"}`,
          borderRadius: "var(--radius)",
          padding: "1rem",
          background: isOver ? "#eef3ff" : "transparent",
        }}
      >
        <p style={{ marginTop: 0 }}>
          Drop a circuit-tracer or Neuronpedia graph file (<code>.json</code>, up to {(maxBytes / 1e6).toFixed(0)} MB)
          here, or choose one.
        </p>
        <div className="inline" style={{ display: "flex", gap: ".75rem", flexWrap: "wrap", alignItems: "end" }}>
          <label>
            Graph file
            <input
              type="file"
              accept=".json,application/json"
              disabled={isBusy}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) upload(file);
                e.target.value = "";
              }}
            />
          </label>
          <label>
            Title <span className="muted">(optional)</span>
            <input ref={titleRef} name="title" maxLength={200} />
          </label>
          <label>
            Visibility
            <select ref={visibilityRef} name="visibility" defaultValue="private">
              <option value="private">private (workspace members)</option>
              <option value="unlisted">unlisted (anyone with the link)</option>
              <option value="public">public</option>
            </select>
          </label>
        </div>
      </div>
      {status.kind === "uploading" && (
        <p role="status">
          Uploading {status.fileName}…{" "}
          <progress max={status.total} value={status.loaded} aria-label="Upload progress" />{" "}
          {Math.round((100 * status.loaded) / Math.max(1, status.total))}%
        </p>
      )}
      {status.kind === "processing" && <p role="status">Checking and storing {status.fileName}…</p>}
      {status.kind === "done" && (
        <p role="status" className="ok">
          Imported <a href={`/g/${status.id}`}>{status.title}</a>.
          {status.warnings.length > 0 && (
            <>
              {" "}
              Read with {status.warnings.length} warning{status.warnings.length === 1 ? "" : "s"}:
              <ul data-testid="import-warnings">
                {status.warnings.slice(0, 10).map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </>
          )}
        </p>
      )}
      {status.kind === "error" && (
        <p role="alert" className="error">
          {status.message}
        </p>
      )}
    </section>
  );
}

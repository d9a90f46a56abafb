"use client";
/**
 * What the model will see and say, while the prompt is typed (debounced): the tokens as chips (BOS as a
 * badge, leading spaces visible), computed by the app from the tokenizer the worker announced; warnings;
 * and the model's top next tokens from a worker's preview lane, or "workers busy".
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../_trpc/react";

const WARNINGS = {
  "trailing-space":
    "The prompt ends with a space: the model will predict what follows a space, which is rarely what you want.",
  "too-long": "The prompt is longer than the model reads.",
  "unknown-characters": "Some characters are unknown to the tokenizer.",
} as const;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Leading/trailing spaces and newlines shown as visible marks inside a chip. */
const visible = (text: string) => text.replace(/ /g, "␣").replace(/\n/g, "↵").replace(/\t/g, "⇥");

export function PromptPreview({ slug, modelId, prompt }: { slug: string; modelId: string; prompt: string }) {
  const trpc = useTRPC();
  const typed = useDebounced(prompt, 250);
  const isReady = Boolean(modelId && typed.length > 0);
  const tokens = useQuery({
    ...trpc.job.tokenize.queryOptions({ modelId, prompt: typed }),
    enabled: isReady,
    placeholderData: (prev) => prev,
    retry: false,
  });
  const preview = useMutation(trpc.job.preview.mutationOptions());
  const { mutate } = preview;
  useEffect(() => {
    if (isReady) mutate({ slug, modelId, prompt: typed, topK: 10 });
  }, [isReady, slug, modelId, typed, mutate]);

  if (!isReady) return null;
  const t = tokens.data;
  const next = preview.data;
  return (
    <div aria-label="Prompt preview" role="region" className="stack" style={{ gap: ".25rem", maxWidth: "none" }}>
      {t?.tokens ? (
        <div className="token-chips" aria-label="Prompt tokens">
          {t.tokens.map((tok, i) =>
            tok.isBos ? (
              <span key={i} className="badge" title={`BOS: ${tok.text} (id ${tok.id}), added by the model`}>
                BOS
              </span>
            ) : (
              <span
                key={i}
                className={`token-chip${tok.isSpecial ? " special" : ""}${tok.isUnknown ? " unknown" : ""}`}
                title={`id ${tok.id}`}
                data-testid="prompt-token"
              >
                {visible(tok.text)}
              </span>
            ),
          )}
          <span className="muted">
            {t.tokens.length} tokens{t.maxTokens ? ` of ${t.maxTokens}` : ""}
          </span>
        </div>
      ) : t ? (
        <p className="muted">This model's worker has not shared its tokenizer; tokens are shown once it has.</p>
      ) : null}
      {t?.warnings.map((w) => (
        <p key={w} className="error" role="alert" style={{ margin: 0 }}>
          {WARNINGS[w]}
        </p>
      ))}
      {preview.isPending && !next && <p className="muted">Asking the model…</p>}
      {preview.error && <p className="error">{preview.error.message}</p>}
      {next?.status === "busy" && (
        <p className="muted" role="status">
          Workers busy: no next-token preview right now (the graph can still be generated).
        </p>
      )}
      {next?.status === "failed" && <p className="error">{next.message}</p>}
      {next?.status === "ok" && (
        <table aria-label="Top next tokens" style={{ maxWidth: 420 }}>
          <thead>
            <tr>
              <th>Next token</th>
              <th>Probability</th>
            </tr>
          </thead>
          <tbody>
            {next.top.map((n) => (
              <tr key={n.id}>
                <td>
                  <span className="token-chip">{visible(n.token)}</span>
                </td>
                <td>{(n.prob * 100).toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

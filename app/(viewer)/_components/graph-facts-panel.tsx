"use client";
// Graph facts: what a reader needs to trust and cite a graph. Title, description, the prompt as token chips
// (the BOS token as a badge), model and transcoder set (graph-identity.ts: the rule that gave each), who
// generated it with which settings, replacement / completeness scores, node and link counts, pruning.
import { isBosToken } from "@circuitboard/shared/graph-format";
import { formatNumber } from "./node-facts";
import { useViewer } from "./viewer-context";
import styles from "../viewer.module.css";

export interface TGraphFactsProps {
  readonly title: string;
  readonly description: string;
  /** The ids stored with the graph (derived at import, where the worker's announcement was known). */
  readonly modelId: string;
  readonly transcoderSet: string;
}

const label = (key: string) => key.replace(/_/g, " ");

export function GraphFactsPanel({ title, description, modelId, transcoderSet }: TGraphFactsProps) {
  const { graph } = useViewer();
  const facts = graph.facts;
  const fileDescription = facts.description && facts.description !== description ? facts.description : null;
  return (
    <section className={styles.panel} aria-labelledby="facts-title" data-testid="graph-facts">
      <details open>
        <summary>
          <h2 id="facts-title" className={styles.panelTitle}>
            Graph facts
          </h2>
        </summary>
        <p className={styles.factsTitle}>{title}</p>
        {description && <p>{description}</p>}
        {fileDescription && <p className="muted">{fileDescription}</p>}
        <ol className={styles.tokens} data-testid="prompt-tokens" aria-label="Prompt tokens">
          {graph.tokens.map((token, i) =>
            i === 0 && isBosToken(token) ? (
              <li key={i} className="badge" title={`Beginning of sequence: ${token}`}>
                BOS
              </li>
            ) : (
              <li key={i} className={styles.tokenChip} title={`position ${i}`}>
                {token.replace(/\n/g, "↵").replace(/ /g, "·")}
              </li>
            ),
          )}
        </ol>
        <dl className={styles.facts}>
          <dt>Model</dt>
          <dd title={`from ${facts.identitySources.modelId}`}>{modelId || facts.modelId || "not stated"}</dd>
          <dt>Transcoders</dt>
          <dd title={`from ${facts.identitySources.transcoderSetId}`}>
            {transcoderSet || facts.transcoderSetId || "not stated"}
          </dd>
          {facts.generator && (
            <>
              <dt>Generator</dt>
              <dd>{facts.generator}</dd>
            </>
          )}
          {facts.createTimeMs !== null && (
            <>
              <dt>Created</dt>
              <dd>{new Date(facts.createTimeMs).toISOString().slice(0, 16).replace("T", " ")} UTC</dd>
            </>
          )}
          <dt>Nodes</dt>
          <dd>
            {graph.nodeCount.toLocaleString("en")} ({facts.counts.features.toLocaleString("en")} features,{" "}
            {facts.counts.errors} errors, {facts.counts.embeddings} embeddings, {facts.counts.logits} logits
            {facts.counts.other ? `, ${facts.counts.other} other` : ""})
          </dd>
          <dt>Links</dt>
          <dd>{graph.linkCount.toLocaleString("en")}</dd>
          {facts.generationSettings.map(([key, value]) => (
            <FactRow key={`g-${key}`} name={label(key)} value={value} />
          ))}
          {facts.pruningSettings.map(([key, value]) => (
            <FactRow key={`p-${key}`} name={`pruning: ${label(key)}`} value={value} />
          ))}
          {graph.fileNodeThreshold !== null && facts.pruningSettings.length === 0 && (
            <FactRow name="node threshold" value={graph.fileNodeThreshold} />
          )}
          <dt title="Share of the logits' attribution that flows from the prompt's tokens rather than through reconstruction errors (1 = fully explained by features).">
            Replacement score
          </dt>
          <dd data-testid="replacement-score">
            {facts.replacementScore === null ? "not in the file" : formatNumber(facts.replacementScore)}
          </dd>
          <dt title="Average share of each node's input that comes from features and tokens, not errors (1 = no error input).">
            Completeness score
          </dt>
          <dd data-testid="completeness-score">
            {facts.completenessScore === null ? "not in the file" : formatNumber(facts.completenessScore)}
          </dd>
        </dl>
        <p className={styles.note}>
          Replacement: how much of the output is explained by features rather than errors, end to end. Completeness: how
          much of each node’s direct input is. Both are 1 for a perfect replacement model.
        </p>
      </details>
    </section>
  );
}

function FactRow({ name, value }: { name: string; value: number }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{Number.isInteger(value) ? value.toLocaleString("en") : formatNumber(value)}</dd>
    </>
  );
}

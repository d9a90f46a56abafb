"use client";
/**
 * One feature's dashboard, fetched from the dashboard route (GET /api/feature-dashboard, one range read):
 *   full     top activations with per-token heat, the interval (quantile) samples when the record has
 *            them, density, the activation histogram and the top/bottom logits as SVG plots
 *   compact  the top few examples and the top/bottom logits (the viewer's feature panel, the label queue)
 * Clear empty states: no dashboards for the set yet, none for this feature, a feature that never fired.
 */
import { useEffect, useState } from "react";
import { ActivationHistogram, LogitBars } from "./dashboard-plots";
import { hasActivations, splitGroups, type DashboardExample, type DashboardRecord } from "./dashboard-record";
import styles from "./feature-dashboard.module.css";
import { featureDashboardUrl, type FeatureRef } from "./feature-dashboard-url";
import { TokenHeat } from "./token-heat";

export interface FeatureDashboardProps {
  feature: FeatureRef;
  variant: "full" | "compact";
}

type State =
  | { kind: "loading" }
  | { kind: "ready"; record: DashboardRecord }
  | { kind: "empty"; message: string; testId: string }
  | { kind: "error"; message: string };

const COMPACT_EXAMPLES = 3;
const FULL_EXAMPLES = 20;

async function load(feature: FeatureRef, signal: AbortSignal): Promise<State> {
  const res = await fetch(featureDashboardUrl(feature), { signal, headers: { accept: "application/json" } });
  if (res.ok) return { kind: "ready", record: (await res.json()) as DashboardRecord };
  const body = (await res.json().catch(() => null)) as { error?: { appCode?: string; message?: string } } | null;
  const appCode = body?.error?.appCode;
  if (appCode === "NO_DASHBOARDS")
    return { kind: "empty", message: "No dashboard computed for this transcoder set yet.", testId: "dashboard-none" };
  if (appCode === "NO_DASHBOARD_FEATURE")
    return {
      kind: "empty",
      message: "No dashboard for this feature in its transcoder set.",
      testId: "dashboard-no-feature",
    };
  if (res.status === 401) return { kind: "error", message: "Sign in to see this feature's dashboard." };
  return { kind: "error", message: body?.error?.message ?? `The dashboard could not be loaded (HTTP ${res.status}).` };
}

function maxActivation(examples: DashboardExample[], fallback?: number): number {
  let max = fallback ?? 0;
  for (const e of examples) for (const a of e.tokens_acts_list) if (a > max) max = a;
  return max;
}

function Examples({ examples, maxAct }: { examples: DashboardExample[]; maxAct: number }) {
  return (
    <div className={styles.examples}>
      {examples.map((e, i) => (
        <TokenHeat key={i} example={e} maxAct={maxAct} />
      ))}
    </div>
  );
}

function formatDensity(r: DashboardRecord): string | null {
  if (r.activation_frequency === undefined) return null;
  const pct = r.activation_frequency * 100;
  const counts = r.n_tokens !== undefined ? ` (${r.n_active_tokens ?? 0} of ${r.n_tokens} tokens)` : "";
  return `${pct < 0.01 && pct > 0 ? pct.toExponential(2) : pct.toPrecision(3)}%${counts}`;
}

/** A loaded record, drawn (FeatureDashboard fetches it; this is exported for pages that already have it). */
export function FeatureDashboardView({
  record,
  variant,
}: {
  record: DashboardRecord;
  variant: FeatureDashboardProps["variant"];
}) {
  const { top, quantiles } = splitGroups(record);
  const isActive = hasActivations(record);
  const allExamples = record.examples_quantiles.flatMap((g) => g.examples);
  const maxAct = maxActivation(allExamples, record.act_max);
  const logits = (
    <LogitBars
      top={record.top_logits}
      topValues={record.top_logit_values}
      bottom={record.bottom_logits}
      bottomValues={record.bottom_logit_values}
      limit={variant === "compact" ? 5 : 10}
    />
  );
  if (variant === "compact") {
    return (
      <div className={styles.dashboard} data-testid="feature-dashboard" data-variant="compact">
        {isActive && top ? (
          <Examples examples={top.examples.slice(0, COMPACT_EXAMPLES)} maxAct={maxAct} />
        ) : (
          <p className="muted" data-testid="dashboard-inactive">
            This feature never activated on the corpus.
          </p>
        )}
        {logits}
      </div>
    );
  }
  const density = formatDensity(record);
  return (
    <div className={styles.dashboard} data-testid="feature-dashboard" data-variant="full">
      <dl className={styles.facts}>
        {density !== null ? (
          <>
            <dt>Density</dt>
            <dd data-testid="dashboard-density">{density}</dd>
          </>
        ) : null}
        {record.act_max !== undefined ? (
          <>
            <dt>Max activation</dt>
            <dd>{record.act_max}</dd>
          </>
        ) : null}
        {record.act_mean !== undefined && isActive ? (
          <>
            <dt>Mean (active)</dt>
            <dd>{record.act_mean}</dd>
          </>
        ) : null}
        {record.source === "neuronpedia" ? (
          <>
            <dt>Source</dt>
            <dd>imported from Neuronpedia</dd>
          </>
        ) : null}
      </dl>
      {!isActive ? (
        <p className="muted" data-testid="dashboard-inactive">
          This feature never activated on the corpus: no examples, no histogram.
        </p>
      ) : null}
      <div className={styles.plots}>
        {isActive && record.histogram && record.histogram_edges && record.histogram.length > 0 ? (
          <ActivationHistogram counts={record.histogram} edges={record.histogram_edges} />
        ) : null}
        {logits}
      </div>
      {isActive && top ? (
        <section>
          <h3 className={styles.heading}>{top.quantile_name}</h3>
          <Examples examples={top.examples.slice(0, FULL_EXAMPLES)} maxAct={maxAct} />
        </section>
      ) : null}
      {isActive && quantiles.length > 0 ? (
        <section data-testid="dashboard-quantiles">
          <h3 className={styles.heading}>Samples by activation interval</h3>
          {quantiles.map((g) => (
            <details key={g.quantile_name} className={styles.quantile}>
              <summary>
                {g.quantile_name} · {g.examples.length} example{g.examples.length === 1 ? "" : "s"}
              </summary>
              <Examples examples={g.examples} maxAct={maxAct} />
            </details>
          ))}
        </section>
      ) : null}
    </div>
  );
}

export function FeatureDashboard({ feature, variant }: FeatureDashboardProps) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const { modelId, transcoderSetId, layer, index } = feature;
  useEffect(() => {
    const abort = new AbortController();
    setState({ kind: "loading" });
    load({ modelId, transcoderSetId, layer, index }, abort.signal)
      .then((s) => {
        if (!abort.signal.aborted) setState(s);
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted)
          setState({ kind: "error", message: `The dashboard could not be loaded (${String(e)}).` });
      });
    return () => abort.abort();
  }, [modelId, transcoderSetId, layer, index]);

  if (state.kind === "loading")
    return (
      <p className="muted" data-testid="dashboard-loading" aria-busy="true">
        Loading the dashboard…
      </p>
    );
  if (state.kind === "empty")
    return (
      <p className="muted" data-testid={state.testId}>
        {state.message}
      </p>
    );
  if (state.kind === "error")
    return (
      <p role="alert" className={styles.error} data-testid="dashboard-error">
        {state.message}
      </p>
    );
  return <FeatureDashboardView record={state.record} variant={variant} />;
}

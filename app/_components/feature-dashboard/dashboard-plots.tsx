/** The dashboard's two plots, as plain SVG: the activation histogram and the top/bottom output logits. */
import styles from "./feature-dashboard.module.css";

const W = 320;

export function ActivationHistogram({ counts, edges }: { counts: number[]; edges: number[] }) {
  const H = 90;
  const max = Math.max(1, ...counts);
  const barW = W / Math.max(1, counts.length);
  const lo = edges[0] ?? 0;
  const hi = edges[edges.length - 1] ?? 0;
  return (
    <figure className={styles.plot} data-testid="dashboard-histogram">
      <svg viewBox={`0 0 ${W} ${H + 14}`} role="img" aria-label="Activation histogram">
        {counts.map((c, i) => {
          const h = c > 0 ? Math.max(1, (c / max) * H) : 0;
          return (
            <rect key={i} x={i * barW + 0.5} y={H - h} width={Math.max(0.5, barW - 1)} height={h} fill="var(--accent)">
              <title>{`[${edges[i]}, ${edges[i + 1]}): ${c}`}</title>
            </rect>
          );
        })}
        <line x1={0} x2={W} y1={H} y2={H} stroke="var(--line)" />
        <text x={0} y={H + 12} fontSize={10} fill="var(--muted)">
          {lo}
        </text>
        <text x={W} y={H + 12} fontSize={10} fill="var(--muted)" textAnchor="end">
          {hi}
        </text>
      </svg>
      <figcaption>Activations (active tokens per bin)</figcaption>
    </figure>
  );
}

interface LogitRow {
  token: string;
  value: number | null;
}

function rows(tokens: string[] = [], values: number[] = []): LogitRow[] {
  return tokens.map((token, i) => ({ token, value: values[i] ?? null }));
}

/** Bars to the right for the top logits, to the left for the bottom ones; names alone when values are absent. */
export function LogitBars({
  top,
  topValues,
  bottom,
  bottomValues,
  limit,
}: {
  top?: string[];
  topValues?: number[];
  bottom?: string[];
  bottomValues?: number[];
  limit: number;
}) {
  const all = [...rows(top, topValues).slice(0, limit), ...rows(bottom, bottomValues).slice(0, limit)];
  const scale = Math.max(1e-9, ...all.map((r) => Math.abs(r.value ?? 0)));
  const column = (title: string, list: LogitRow[], sign: 1 | -1, testId: string) => {
    const rowH = 16;
    const H = list.length * rowH;
    return (
      <figure className={styles.plot} data-testid={testId}>
        <figcaption>{title}</figcaption>
        {list.length === 0 ? (
          <p className="muted">None given.</p>
        ) : (
          <svg viewBox={`0 0 ${W / 2 + 60} ${H}`} role="img" aria-label={title}>
            {list.map((r, i) => {
              const w = r.value === null ? 0 : (Math.abs(r.value) / scale) * (W / 2 - 60);
              return (
                <g key={i} transform={`translate(0, ${i * rowH})`}>
                  <text x={0} y={12} fontSize={11} fill="var(--fg)">
                    {JSON.stringify(r.token).slice(0, 18)}
                  </text>
                  <rect x={100} y={3} width={w} height={rowH - 5} fill={sign > 0 ? "var(--ok)" : "var(--danger)"} />
                  {r.value !== null ? (
                    <text x={104 + w} y={12} fontSize={10} fill="var(--muted)">
                      {r.value.toPrecision(3)}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </svg>
        )}
      </figure>
    );
  };
  return (
    <div className={styles.logits}>
      {column("Top logits", all.slice(0, Math.min(limit, top?.length ?? 0)), 1, "dashboard-top-logits")}
      {column("Bottom logits", all.slice(Math.min(limit, top?.length ?? 0)), -1, "dashboard-bottom-logits")}
    </div>
  );
}

"use client";
// One intervention's result: the clean and the intervened top next tokens side by side, the clean top
// tokens' probability before and after (the change), and the greedy continuation of each.
import type { TInterveneResult } from "@circuitboard/shared/jobs/job-results";

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
const visible = (t: string) => t.replace(/ /g, "␣").replace(/\n/g, "↵");

export function InterventionResult({ result }: { result: TInterveneResult }) {
  const rows = Math.max(result.clean.top.length, result.intervened.top.length);
  return (
    <div>
      <table aria-label="Clean and intervened next tokens">
        <thead>
          <tr>
            <th>Clean</th>
            <th>p</th>
            <th>Intervened</th>
            <th>p</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, i) => {
            const c = result.clean.top[i];
            const v = result.intervened.top[i];
            return (
              <tr key={i}>
                <td>{c ? <code>{visible(c.token)}</code> : null}</td>
                <td>{c ? pct(c.prob) : null}</td>
                <td>{v ? <code>{visible(v.token)}</code> : null}</td>
                <td>{v ? pct(v.prob) : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <table aria-label="Probability changes" style={{ marginTop: ".5rem" }}>
        <thead>
          <tr>
            <th>Token</th>
            <th>Before</th>
            <th>After</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {result.cleanTopAfter.map((t) => {
            const d = t.intervenedProb - t.cleanProb;
            return (
              <tr key={t.id}>
                <td>
                  <code>{visible(t.token)}</code>
                </td>
                <td>{pct(t.cleanProb)}</td>
                <td>{pct(t.intervenedProb)}</td>
                <td className={d < 0 ? "error" : "ok"}>
                  {d >= 0 ? "+" : "−"}
                  {pct(Math.abs(d))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {result.generation && (
        <dl aria-label="Greedy continuations">
          <dt>Clean continuation</dt>
          <dd>
            <code>{result.generation.clean}</code>
          </dd>
          <dt>Intervened continuation</dt>
          <dd>
            <code>{result.generation.intervened}</code>
          </dd>
        </dl>
      )}
    </div>
  );
}

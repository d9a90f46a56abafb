/**
 * Which execution provider ran each node of a session (issue 17). onnxruntime-node has no API for
 * the node placement; its profiler does record, for every kernel it runs, the node, the op type and
 * the provider ("provider": "WebGpuExecutionProvider"). A GPU session is therefore created with
 * profiling on, its first run is profiled, and profiling ends right after: later runs pay nothing.
 * Nodes inside `If` branches appear when their branch ran.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as ort from "onnxruntime-node";

export interface ProviderReport {
  /** Distinct nodes that ran, per provider ("CPUExecutionProvider", "WebGpuExecutionProvider", …). */
  nodesByProvider: Record<string, number>;
  /** Op types of the nodes the CPU provider ran, with their count. */
  cpuOps: Record<string, number>;
}

interface ProfileEvent {
  cat?: string;
  name?: string;
  args?: { op_name?: string; provider?: string };
}

/** Summarises an ORT profile (the JSON array written by endProfiling). */
export function summarizeProfile(events: ProfileEvent[]): ProviderReport {
  const seen = new Map<string, { provider: string; op: string }>();
  for (const e of events) {
    if (e.cat !== "Node" || !e.name?.endsWith("_kernel_time") || !e.args?.provider) continue;
    seen.set(e.name.slice(0, -"_kernel_time".length), { provider: e.args.provider, op: e.args.op_name ?? "?" });
  }
  const report: ProviderReport = { nodesByProvider: {}, cpuOps: {} };
  for (const { provider, op } of seen.values()) {
    report.nodesByProvider[provider] = (report.nodesByProvider[provider] ?? 0) + 1;
    if (provider === "CPUExecutionProvider") report.cpuOps[op] = (report.cpuOps[op] ?? 0) + 1;
  }
  return report;
}

/** One log line: "webgpu session (inputs input_ids): 212 nodes on WebGpuExecutionProvider, 6 left on the CPU (Range 2, …)". */
export function formatProviderReport(label: string, report: ProviderReport): string {
  const providers = Object.entries(report.nodesByProvider).sort((a, b) => b[1] - a[1]);
  const onGpu = providers.filter(([p]) => p !== "CPUExecutionProvider").map(([p, n]) => `${n} nodes on ${p}`);
  const cpu = report.nodesByProvider.CPUExecutionProvider ?? 0;
  const ops = Object.entries(report.cpuOps)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  const parts = [...onGpu, cpu === 0 ? "none on the CPU" : `${cpu} on the CPU (${ops})`];
  return `${label}: ${parts.join(", ")}`;
}

/** Session options that turn profiling on into a fresh temporary folder (removed by the report). */
export function profilingOptions(): { options: ort.InferenceSession.SessionOptions; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "circuitboard-ort-profile-"));
  return { options: { enableProfiling: true, profileFilePrefix: join(dir, "session") }, dir };
}

/**
 * Wraps a session created with profilingOptions(): after its first run, profiling ends, the profile
 * is summarised and logged, and the folder is removed. Every other member is the session's own.
 */
export function reportProvidersAfterFirstRun(
  session: ort.InferenceSession,
  dir: string,
  label: string,
  log: (line: string) => void,
  onReport?: (report: ProviderReport) => void,
): ort.InferenceSession {
  let pending = true;
  const run = session.run.bind(session) as (...args: unknown[]) => Promise<ort.InferenceSession.ReturnType>;
  const wrapped = Object.create(session) as ort.InferenceSession;
  const finish = () => {
    if (!pending) return;
    pending = false;
    try {
      session.endProfiling();
      const file = readdirSync(dir).find((f) => f.endsWith(".json"));
      if (!file) throw new Error("onnxruntime wrote no profile");
      const report = summarizeProfile(JSON.parse(readFileSync(join(dir, file), "utf8")) as ProfileEvent[]);
      log(formatProviderReport(label, report));
      onReport?.(report);
    } catch (error) {
      log(`${label}: no provider report (${(error as Error).message})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  Object.defineProperty(wrapped, "run", {
    value: async (...args: unknown[]) => {
      try {
        return await run(...args);
      } finally {
        finish();
      }
    },
  });
  Object.defineProperty(wrapped, "release", {
    value: async () => {
      if (pending) {
        pending = false;
        rmSync(dir, { recursive: true, force: true });
      }
      return session.release();
    },
  });
  return wrapped;
}

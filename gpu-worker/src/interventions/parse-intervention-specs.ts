import type { FeatureClamp } from "./intervene";

/**
 * Command-line interventions: `--set L:P:F=VALUE` clamps feature F of layer L at position P to VALUE,
 * `--ablate L:P:F` clamps it to 0. A negative P counts from the end of the prompt (−1 = last token),
 * as circuit-tracer's interventions accept. Positions index the prompt with its BOS.
 */
export function parseInterventionSpecs(
  sets: string[],
  ablations: string[],
  nTokens: number,
): (FeatureClamp & { isAblation: boolean })[] {
  const target = (spec: string, flag: string) => {
    const m = /^\s*(\d+)\s*:\s*(-?\d+)\s*:\s*(\d+)\s*$/.exec(spec);
    if (!m) throw new Error(`${flag} "${spec}": expected LAYER:POSITION:FEATURE (integers, POSITION may be negative)`);
    const pos = Number(m[2]);
    return { layer: Number(m[1]), pos: pos < 0 ? nTokens + pos : pos, feature: Number(m[3]) };
  };
  const clamps = sets.map((spec) => {
    const eq = spec.lastIndexOf("=");
    if (eq < 0) throw new Error(`--set "${spec}": expected LAYER:POSITION:FEATURE=VALUE`);
    const value = Number(spec.slice(eq + 1));
    if (spec.slice(eq + 1).trim() === "" || !Number.isFinite(value))
      throw new Error(`--set "${spec}": VALUE must be a finite number, got "${spec.slice(eq + 1)}"`);
    return { ...target(spec.slice(0, eq), "--set"), value, isAblation: false };
  });
  return [...clamps, ...ablations.map((spec) => ({ ...target(spec, "--ablate"), value: 0, isAblation: true }))];
}

// Colours and sizes of the drawing, in one place. Edge and connection colours follow the peers' diverging
// scale on pctInput (positive green, negative purple; PRGn), saturating at ±40% of the target's input.
import { GLYPH, type TGlyph } from "./glyphs";
import { NODE_KINDS, type TViewerNodeKind } from "./viewer-graph";

export const KIND_STYLE: Readonly<
  Record<TViewerNodeKind, { color: string; glyph: TGlyph; name: string; symbol: string }>
> = {
  feature: { color: "#6b8fc7", glyph: GLYPH.circle, name: "feature", symbol: "●" },
  error: { color: "#b4bac3", glyph: GLYPH.diamond, name: "reconstruction error", symbol: "◆" },
  embedding: { color: "#4e9a57", glyph: GLYPH.square, name: "embedding", symbol: "■" },
  logit: { color: "#e08a2e", glyph: GLYPH.square, name: "logit", symbol: "■" },
  other: { color: "#a58bd0", glyph: GLYPH.triangle, name: "other", symbol: "▲" },
};
export const kindStyleOf = (code: number) => KIND_STYLE[NODE_KINDS[code] ?? "other"];

export const CLICKED_COLOR = "#d6336c";
export const FADED_COLOR = "#e3e6ea";
const POSITIVE: readonly [number, number, number] = [27, 120, 55];
const NEGATIVE: readonly [number, number, number] = [118, 42, 131];
const NEUTRAL: readonly [number, number, number] = [214, 218, 224];

/** 0..1 visual strength of a share of input (sqrt scale, saturating at 40%, as in Anthropic's viewer). */
export function strengthOf(fractionOfInput: number): number {
  return Math.sqrt(Math.min(1, Math.abs(fractionOfInput) / 0.4));
}

export function signedColor(fractionOfInput: number, alpha = 1): string {
  const end = fractionOfInput >= 0 ? POSITIVE : NEGATIVE;
  const t = 0.25 + 0.75 * strengthOf(fractionOfInput);
  const c = NEUTRAL.map((v, k) => Math.round(v + (end[k]! - v) * t));
  return alpha >= 1 ? `rgb(${c[0]},${c[1]},${c[2]})` : `rgba(${c[0]},${c[1]},${c[2]},${alpha.toFixed(3)})`;
}

/**
 * Style of a drawn link. The colour is opaque, pre-mixed with white: sigma blends premultiplied colours, so
 * a translucent rgba would come out brighter than meant (purple turning pink).
 */
export function edgeStyle(fractionOfInput: number): { color: string; size: number } {
  const s = strengthOf(fractionOfInput);
  const end = fractionOfInput >= 0 ? POSITIVE : NEGATIVE;
  const t = 0.15 + 0.7 * s;
  const c = end.map((v) => Math.round(255 + (v - 255) * t));
  return { color: `rgb(${c[0]},${c[1]},${c[2]})`, size: 0.35 + 2.4 * s };
}

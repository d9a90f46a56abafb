// The node's kind as the glyph the graph draws, for lists and panels.
import { kindStyleOf } from "./graph-style";

export function NodeGlyph({ kind, color }: { kind: number; color?: string }) {
  const style = kindStyleOf(kind);
  return (
    <span aria-hidden="true" title={style.name} style={{ color: color ?? style.color }}>
      {style.symbol}
    </span>
  );
}

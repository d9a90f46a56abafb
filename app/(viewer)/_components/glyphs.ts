// The node glyphs the peers draw (peer-platforms.md §3.2), as the numbers the WebGL program reads. Kept apart
// from node-glyph-program.ts so panels can name glyphs without loading sigma (which needs WebGL).

export const GLYPH = { circle: 0, diamond: 1, square: 2, triangle: 3 } as const;
export type TGlyph = (typeof GLYPH)[keyof typeof GLYPH];

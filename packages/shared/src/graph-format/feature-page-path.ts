// The feature page's path: /f/<model>/<set>/<layer>/<index>, each id one URL-encoded segment (set ids contain
// "/"), "_" standing for an unknown model (""). The app's route and every link use these two functions.

export interface TFeaturePageRef {
  readonly modelId: string;
  readonly transcoderSetId: string;
  readonly layer: number;
  readonly index: number;
}

export function featurePagePath(f: TFeaturePageRef): string {
  const model = f.modelId === "" ? "_" : encodeURIComponent(f.modelId);
  return `/f/${model}/${encodeURIComponent(f.transcoderSetId)}/${f.layer}/${f.index}`;
}

/** The feature of a page path's segments after /f/ (as Next gives them, still encoded or decoded); null if malformed. */
export function parseFeaturePagePath(path: readonly string[]): TFeaturePageRef | null {
  let segments = path;
  if (segments.length < 4) return null;
  // A router that decodes %2F before splitting hands the set id over as several segments: join them back.
  if (segments.length > 4) segments = [segments[0]!, segments.slice(1, -2).join("/"), ...segments.slice(-2)];
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return null;
    }
  };
  const model = decode(segments[0]!);
  const set = decode(segments[1]!);
  if (model === null || set === null || set === "") return null;
  if (!/^(0|[1-9]\d{0,4})$/.test(segments[2]!) || !/^(0|[1-9]\d{0,9})$/.test(segments[3]!)) return null;
  const index = Number(segments[3]);
  if (index > 2 ** 31 - 1) return null;
  return { modelId: model === "_" ? "" : model, transcoderSetId: set, layer: Number(segments[2]), index };
}

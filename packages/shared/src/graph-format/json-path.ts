// JSON paths in the form users see in error messages: `$.nodes[12].layer`, `$.metadata["odd key"]`.

export type TJsonPathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatJsonPath(segments: readonly TJsonPathSegment[]): string {
  let path = "$";
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** Appends one segment to an already formatted path (the hot loops build paths only on failure). */
export function joinJsonPath(path: string, segment: TJsonPathSegment): string {
  return path + formatJsonPath([segment]).slice(1);
}

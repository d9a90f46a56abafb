import { describeReceived } from "./describe-received";
import { exceedsDepth, MAX_NESTING_DEPTH } from "./exceeds-depth";
import type { TGraphLinks } from "./graph-types";
import type { IssueCollector } from "./issue-collector";

// The hot loop of the import: up to 10^6 links. It turns link objects into three typed-array columns,
// validating as it goes. zod per link costs more than the JSON.parse before it (measured: bench/), so the
// checks of ZGraphLinkSchema are written out here, and the detailed diagnosis runs only for bad links.

interface TLinkLike {
  readonly source?: unknown;
  readonly target?: unknown;
  readonly weight?: unknown;
}

const EMPTY_EXTRAS: ReadonlyMap<number, Readonly<Record<string, unknown>>> = new Map();

function diagnoseLink(
  link: unknown,
  i: number,
  nodeIndexById: ReadonlyMap<string, number>,
  issues: IssueCollector,
): void {
  const path = `$.links[${i}]`;
  if (typeof link !== "object" || link === null || Array.isArray(link)) {
    issues.add("INVALID_FIELD", path, "a link object {source, target, weight}", describeReceived(link));
    return;
  }
  const { source, target, weight } = link as TLinkLike;
  for (const [key, endpoint] of [
    ["source", source],
    ["target", target],
  ] as const) {
    if (typeof endpoint !== "string") {
      issues.add("INVALID_FIELD", `${path}.${key}`, "a node_id string", describeReceived(endpoint));
    } else if (!nodeIndexById.has(endpoint)) {
      issues.add(
        "DANGLING_REFERENCE",
        `${path}.${key}`,
        "the node_id of a node in $.nodes",
        describeReceived(endpoint),
      );
    }
  }
  if (typeof weight !== "number" || !Number.isFinite(weight)) {
    issues.add("INVALID_FIELD", `${path}.weight`, "a finite number", describeReceived(weight));
  }
}

function extrasOf(link: object): Record<string, unknown> {
  const { source: _source, target: _target, weight: _weight, ...extras } = link as Record<string, unknown>;
  return extras;
}

export function readLinks(
  value: unknown,
  nodeIndexById: ReadonlyMap<string, number>,
  issues: IssueCollector,
): TGraphLinks {
  if (!Array.isArray(value)) {
    issues.add("INVALID_FIELD", "$.links", "an array of link objects", describeReceived(value));
    const none = { source: new Uint32Array(0), target: new Uint32Array(0), weight: new Float64Array(0) };
    return { count: 0, ...none, extras: EMPTY_EXTRAS };
  }
  const count = value.length;
  const source = new Uint32Array(count);
  const target = new Uint32Array(count);
  const weight = new Float64Array(count);
  let extras: Map<number, Record<string, unknown>> | null = null;
  for (let i = 0; i < count; i += 1) {
    const link = value[i] as TLinkLike | null | undefined;
    // Optional chaining covers null and primitives; Map.get of a non-string simply misses.
    const s = nodeIndexById.get(link?.source as string);
    const t = nodeIndexById.get(link?.target as string);
    const w = link?.weight;
    // A found source means `link` is a non-null object (only objects carry a string-keyed property).
    const isValid = s !== undefined && t !== undefined && typeof w === "number" && Number.isFinite(w);
    if (!isValid || link == null) {
      diagnoseLink(link, i, nodeIndexById, issues);
      continue;
    }
    source[i] = s;
    target[i] = t;
    weight[i] = w;
    // Counting keys with for-in rides V8's enum cache (links share one shape), far cheaper than Object.keys.
    let keyCount = 0;
    for (const _key in link) keyCount += 1;
    if (keyCount !== 3) {
      const extra = extrasOf(link);
      // Kept for export, so they must stay printable (exceeds-depth.ts).
      if (exceedsDepth(extra, MAX_NESTING_DEPTH - 2)) {
        issues.add(
          "INVALID_FIELD",
          `$.links[${i}]`,
          `at most ${MAX_NESTING_DEPTH} levels of nesting`,
          "deeper nesting",
        );
      }
      (extras ??= new Map()).set(i, extra);
    }
  }
  return { count, source, target, weight, extras: extras ?? EMPTY_EXTRAS };
}

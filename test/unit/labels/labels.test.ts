// The ranking rule of labels and the feature page's path: pure functions, no database.
import { describe, expect, it } from "vitest";
import { featurePagePath, parseFeaturePagePath } from "@circuitboard/shared/graph-format";
import { bestLabel, compareLabels, type TLabelView } from "~/server/services/labels/labels";
import { wilsonLowerBound } from "~/server/services/labels/wilson";

function label(id: string, up: number, down: number, ageDays: number, extra: Partial<TLabelView> = {}): TLabelView {
  return {
    id,
    text: id,
    workspaceId: null,
    source: "user",
    sourceGraphId: null,
    author: { id: "u", name: "U" },
    createdAt: new Date(Date.UTC(2026, 0, 30 - ageDays)),
    hiddenAt: null,
    up,
    down,
    score: wilsonLowerBound(up, down),
    myVote: 0,
    ...extra,
  };
}

describe("wilsonLowerBound", () => {
  it("is 0 without votes and does not favour early labels", () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(1, 0)).toBeCloseTo(0.2065, 3);
    expect(wilsonLowerBound(9, 1)).toBeGreaterThan(wilsonLowerBound(1, 0));
    expect(wilsonLowerBound(5, 5)).toBeLessThan(wilsonLowerBound(5, 0));
  });
});

describe("bestLabel", () => {
  it("ranks by the bound, ties by age, skips hidden labels and unvoted imports", () => {
    const old = label("old", 0, 0, 5);
    const young = label("young", 0, 0, 1);
    expect([young, old].sort(compareLabels).map((l) => l.id)).toEqual(["old", "young"]);
    expect(bestLabel([label("a", 1, 0, 9), label("b", 9, 1, 1)])!.id).toBe("b");
    expect(bestLabel([label("h", 9, 0, 1, { hiddenAt: new Date() }), old])!.id).toBe("old");
    expect(bestLabel([label("i", 0, 0, 9, { source: "import" })])).toBeNull();
    expect(bestLabel([label("i", 1, 0, 9, { source: "import" })])!.id).toBe("i");
  });
});

describe("feature page path", () => {
  it("round-trips ids with slashes and an unknown model", () => {
    const f = { modelId: "gemma-2-2b", transcoderSetId: "mntss/clt-gemma-2-2b-2.5M", layer: 3, index: 451 };
    const path = featurePagePath(f);
    expect(path).toBe("/f/gemma-2-2b/mntss%2Fclt-gemma-2-2b-2.5M/3/451");
    expect(parseFeaturePagePath(path.split("/").slice(2))).toEqual(f);
    const unknown = { ...f, modelId: "" };
    expect(parseFeaturePagePath(featurePagePath(unknown).split("/").slice(2))).toEqual(unknown);
    expect(parseFeaturePagePath(["m", "s", "x", "1"])).toBeNull();
    expect(parseFeaturePagePath(["m", "s", "1"])).toBeNull();
    expect(parseFeaturePagePath(["gemma-2-2b", "mntss", "clt-gemma-2-2b-2.5M", "3", "451"])).toEqual(f);
  });
});

/**
 * The pure parts of feature dashboards: the worker splits a layer into parts within the upload limit, the
 * manifest locates every feature in exactly one part's byte range, and the component draws a record (its
 * server-rendered markup: plots, heat, empty states).
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FeatureDashboardView } from "~/app/_components/feature-dashboard/feature-dashboard";
import type { DashboardRecord } from "~/app/_components/feature-dashboard/dashboard-record";
import { splitLayer } from "~/gpu-worker/src/jobs/handlers/dashboards-job";
import { locateFeature, type TDashboardManifest } from "@circuitboard/shared/jobs/dashboard-manifest";

const records = (sizes: number[]) => sizes.map((n) => Buffer.alloc(n, 1));

describe("splitLayer", () => {
  const cases = [
    {
      name: "everything fits: one part named layer_{l}.bin",
      sizes: [10, 10, 10],
      maxBytes: 100,
      parts: ["layer_2.bin"],
    },
    {
      name: "a layer over the limit splits at record boundaries",
      sizes: [40, 40, 40, 40, 40],
      maxBytes: 100,
      parts: ["layer_2_part_0.bin", "layer_2_part_1.bin", "layer_2_part_2.bin"],
    },
    {
      name: "a record exactly at the limit gets a part of its own",
      sizes: [100, 1],
      maxBytes: 100,
      parts: ["layer_2_part_0.bin", "layer_2_part_1.bin"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parts = splitLayer(2, records(c.sizes), c.maxBytes);
      expect(parts.map((p) => p.name)).toEqual(c.parts);
      // Every part within the limit, the features contiguous, the offsets the records' cumulative sizes.
      let next = 0;
      for (const p of parts) {
        expect(p.firstFeature).toBe(next);
        expect(p.offsets.at(-1)).toBe(Buffer.concat(p.chunks).length);
        expect(p.offsets.at(-1)).toBeLessThanOrEqual(c.maxBytes);
        next += p.offsets.length - 1;
      }
      expect(next).toBe(c.sizes.length);
    });
  }

  it("refuses a single record larger than the limit, naming layer, feature and sizes", () => {
    expect(() => splitLayer(1, records([10, 300]), 100)).toThrow(
      /layer 1 feature 1: a 300-byte record exceeds the 100-byte/,
    );
  });
});

describe("locateFeature", () => {
  const manifest: TDashboardManifest = {
    format: { name: "circuitboard-feature-dashboards", version: 1 },
    transcoderSetId: "s",
    nLayers: 1,
    dTranscoder: 5,
    metadata: {},
    layers: [
      {
        layer: 0,
        parts: [
          { name: "layer_0_part_0.bin", firstFeature: 0, offsets: [0, 10, 25] },
          { name: "layer_0_part_1.bin", firstFeature: 2, offsets: [0, 7, 9, 30] },
        ],
      },
    ],
  };
  const cases = [
    { feature: 0, expected: { name: "layer_0_part_0.bin", start: 0, end: 10 } },
    { feature: 1, expected: { name: "layer_0_part_0.bin", start: 10, end: 25 } },
    { feature: 2, expected: { name: "layer_0_part_1.bin", start: 0, end: 7 } },
    { feature: 4, expected: { name: "layer_0_part_1.bin", start: 9, end: 30 } },
    { feature: 5, expected: null },
  ];
  for (const c of cases) {
    it(`feature ${c.feature} → ${c.expected ? `${c.expected.name} [${c.expected.start}, ${c.expected.end})` : "none"}`, () => {
      expect(locateFeature(manifest, 0, c.feature)).toEqual(c.expected);
    });
  }
  it("a layer the manifest lacks has no features", () => expect(locateFeature(manifest, 3, 0)).toBeNull());
});

describe("FeatureDashboardView", () => {
  const active: DashboardRecord = {
    index: 7,
    layer: 1,
    feature: 3,
    activation_frequency: 0.0125,
    n_active_tokens: 4,
    n_tokens: 320,
    act_max: 2,
    act_mean: 1.2,
    examples_quantiles: [
      {
        quantile_name: "Top activations",
        examples: [{ tokens: ["In", " the", " beginning"], tokens_acts_list: [0, 0.5, 2], train_token_ind: 2 }],
      },
      { quantile_name: "Interval 1/8: [1, 2)", examples: [{ tokens: ["And", " God"], tokens_acts_list: [0, 1.5] }] },
    ],
    histogram: [1, 2, 1],
    histogram_edges: [0, 1, 2, 3],
    top_logits: [" God"],
    top_logit_values: [1.25],
    bottom_logits: [" the"],
    bottom_logit_values: [-0.75],
  };
  const render = (record: DashboardRecord, variant: "full" | "compact") =>
    renderToStaticMarkup(createElement(FeatureDashboardView, { record, variant }));

  it("full: density, the histogram and logits as SVG, heat on the activating tokens, interval samples", () => {
    const html = render(active, "full");
    expect(html).toContain('data-testid="dashboard-density"');
    expect(html).toContain("1.25%");
    expect(html).toMatch(/data-testid="dashboard-histogram"[\s\S]*<svg/);
    expect(html).toMatch(/data-testid="dashboard-top-logits"[\s\S]*<svg/);
    expect(html).toContain("&quot; God&quot;");
    expect(html).toContain('data-testid="dashboard-quantiles"');
    expect(html).toMatch(/data-act="2"[^>]*>\s*beginning/);
    expect(html).not.toMatch(/data-act="0"/);
  });

  it("compact: the top examples and the logits, no histogram", () => {
    const html = render(active, "compact");
    expect(html).toContain('data-testid="dashboard-example"');
    expect(html).toContain('data-testid="dashboard-bottom-logits"');
    expect(html).not.toContain("dashboard-histogram");
  });

  it("a feature that never fired says so, in both variants", () => {
    const dead = { ...active, n_active_tokens: 0, activation_frequency: 0, examples_quantiles: [], histogram: [] };
    for (const variant of ["full", "compact"] as const) {
      const html = render(dead, variant);
      expect(html).toContain('data-testid="dashboard-inactive"');
      expect(html).not.toContain('data-testid="dashboard-example"');
    }
  });

  it("an imported Neuronpedia record (only examples and logit names) is drawn without the missing parts", () => {
    const html = render(
      { index: 7, examples_quantiles: [active.examples_quantiles[0]!], top_logits: [" God"], bottom_logits: [] },
      "full",
    );
    expect(html).toContain('data-testid="dashboard-example"');
    expect(html).not.toContain("dashboard-histogram");
    expect(html).not.toContain("dashboard-density");
  });
});

import { expect } from "vitest";
import type { TGraph } from "@circuitboard/shared/graph-format";

/** Bits of each weight: two Float64Arrays are bit-identical iff these are equal (NaN, -0 included). */
export function weightBits(graph: TGraph): BigUint64Array {
  const { weight } = graph.links;
  return new BigUint64Array(weight.buffer, weight.byteOffset, weight.length);
}

/** Asserts two reads of a graph are the same: nodes, links (weights bit for bit), metadata, qParams, extras. */
export function expectSameGraph(actual: TGraph, expected: TGraph): void {
  expect(actual.nodes).toEqual(expected.nodes);
  expect(actual.links.count).toBe(expected.links.count);
  expect(actual.links.source).toEqual(expected.links.source);
  expect(actual.links.target).toEqual(expected.links.target);
  const actualBits = weightBits(actual);
  const expectedBits = weightBits(expected);
  const firstDiffs: { i: number; actual: number; expected: number }[] = [];
  for (let i = 0; i < expectedBits.length && firstDiffs.length < 5; i += 1) {
    if (actualBits[i] !== expectedBits[i]) {
      firstDiffs.push({ i, actual: actual.links.weight[i]!, expected: expected.links.weight[i]! });
    }
  }
  expect(firstDiffs).toEqual([]);
  expect(actual.links.extras).toEqual(expected.links.extras);
  expect(actual.metadata).toEqual(expected.metadata);
  expect(actual.qParams).toEqual(expected.qParams);
  expect(actual.extras).toEqual(expected.extras);
  expect(actual.featureEncoding).toEqual(expected.featureEncoding);
  expect(actual.counts).toEqual(expected.counts);
}

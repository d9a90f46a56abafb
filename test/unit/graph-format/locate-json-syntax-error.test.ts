import { describe, expect, it } from "vitest";
import { locateJsonSyntaxError } from "@circuitboard/shared/graph-format";
import { FIXTURES, readFixture } from "./graph-fixtures";

const CASES: readonly { name: string; text: string; offset: number; path: string }[] = [
  { name: "empty text", text: "", offset: 0, path: "$" },
  { name: "cut after a property name", text: '{"metadata":', offset: 12, path: "$.metadata" },
  { name: "missing comma between array items", text: '{"a":[1 2]}', offset: 8, path: "$.a[0]" },
  { name: "trailing comma in an object", text: '{"a":1,}', offset: 7, path: "$" },
  { name: "NaN literal", text: '{"links":[{"weight":NaN}]}', offset: 20, path: "$.links[0].weight" },
  { name: "single-quoted string", text: "{'a':1}", offset: 1, path: "$" },
  { name: "raw newline inside a string", text: '{"a":"x\ny"}', offset: 7, path: "$.a" },
  { name: "bad escape", text: '{"a":"\\q"}', offset: 6, path: "$.a" },
  { name: "leading zero", text: '{"n":[0, 01]}', offset: 10, path: "$.n[1]" },
  { name: "text after the document", text: '{"a":1} x', offset: 8, path: "$" },
  { name: "error on a later line", text: '{\n  "a": [\n    tru\n  ]\n}', offset: 15, path: "$.a[0]" },
];

describe("locateJsonSyntaxError finds where and in which field JSON breaks", () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      expect(() => JSON.parse(testCase.text)).toThrow(SyntaxError);
      const location = locateJsonSyntaxError(testCase.text);
      expect(location && { offset: location.offset, path: location.path }).toEqual({
        offset: testCase.offset,
        path: testCase.path,
      });
    });
  }

  it("counts lines and columns from 1", () => {
    expect(locateJsonSyntaxError('{\n  "a": [\n    tru\n  ]\n}')).toMatchObject({ line: 3, column: 5 });
  });

  it("finds nothing wrong in valid JSON, including every fixture", () => {
    for (const text of ['{"a":[1,-2.5e-3,true,false,null,"\\u00e9\\n"],"b":{}}', " [ ] ", '"x"', "0"]) {
      expect(locateJsonSyntaxError(text)).toBeNull();
    }
    for (const fixture of FIXTURES) expect(locateJsonSyntaxError(readFixture(fixture).toString("utf8"))).toBeNull();
  });

  it("agrees with JSON.parse on every prefix of a small graph: each proper prefix is broken at its end", () => {
    const text = readFixture(FIXTURES[0]!).toString("utf8").slice(0, 1500); // the demo graph: minified, like most files;
    const disagreements: number[] = [];
    for (let end = 0; end < text.length; end += 1) {
      const prefix = text.slice(0, end);
      let isValid = true;
      try {
        JSON.parse(prefix);
      } catch {
        isValid = false;
      }
      const location = locateJsonSyntaxError(prefix);
      if (isValid !== (location === null) || (location !== null && location.offset > end)) disagreements.push(end);
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
  });
});

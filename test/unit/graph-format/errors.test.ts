import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_ISSUES,
  GraphFormatError,
  parseGraph,
  safeParseGraph,
  type TGraphFormatErrorCode,
} from "@circuitboard/shared/graph-format";
import { FIXTURES, readFixture } from "./graph-fixtures";
import { makeGraphJson, makeNode, type TJsonObject } from "./make-graph-json";

function readError(input: string | Uint8Array): GraphFormatError {
  const result = safeParseGraph(input);
  if (result.ok) throw new Error("expected the input to be rejected, but it parsed");
  return result.error;
}

/** A valid graph with one edit applied. */
function graphWith(edit: (json: TJsonObject & { nodes: TJsonObject[]; links: TJsonObject[] }) => void): string {
  const json = makeGraphJson() as TJsonObject & { nodes: TJsonObject[]; links: TJsonObject[] };
  edit(json);
  return JSON.stringify(json);
}

interface TErrorCase {
  readonly name: string;
  readonly input: string | Uint8Array;
  readonly code: TGraphFormatErrorCode;
  readonly path: string;
  /** Words the message must contain (what arrived, what was wanted). */
  readonly mentions?: readonly string[];
}

const CASES: readonly TErrorCase[] = [
  {
    name: "empty text is invalid JSON at offset 0",
    input: "",
    code: "INVALID_JSON",
    path: "$",
    mentions: ["offset 0"],
  },
  {
    name: "text cut inside the prompt tokens names the open array element",
    input: '{"metadata":{"slug":"x","prompt_tokens":["a",',
    code: "INVALID_JSON",
    path: "$.metadata.prompt_tokens[1]",
    mentions: ["truncated"],
  },
  {
    name: "text cut inside a link names that link",
    input: graphWith(() => {}).slice(0, graphWith(() => {}).indexOf('"weight":-0.77') + 4),
    code: "INVALID_JSON",
    path: "$.links[2]",
    mentions: ["closing quote"],
  },
  {
    name: "a NaN literal (Python's json.dump) is invalid JSON at the weight",
    input: graphWith((json) => {
      json.links[1]!.weight = 12345;
    }).replace("12345", "NaN"),
    code: "INVALID_JSON",
    path: "$.links[1].weight",
    mentions: ['"NaN'],
  },
  {
    name: "Infinity (1e999 parses to it) is not a finite weight",
    input: graphWith((json) => {
      json.links[1]!.weight = 12345;
    }).replace("12345", "1e999"),
    code: "INVALID_FIELD",
    path: "$.links[1].weight",
    mentions: ["a finite number", "Infinity"],
  },
  {
    name: "a weight written as a string is rejected",
    input: graphWith((json) => {
      json.links[3]!.weight = "0.5";
    }),
    code: "INVALID_FIELD",
    path: "$.links[3].weight",
    mentions: ['string "0.5"'],
  },
  {
    name: "a null weight is rejected",
    input: graphWith((json) => {
      json.links[0]!.weight = null;
    }),
    code: "INVALID_FIELD",
    path: "$.links[0].weight",
  },
  {
    name: "a missing weight is rejected",
    input: graphWith((json) => {
      delete json.links[0]!.weight;
    }),
    code: "INVALID_FIELD",
    path: "$.links[0].weight",
    mentions: ["missing"],
  },
  {
    name: "a link target naming no node is a dangling reference that names the id",
    input: graphWith((json) => {
      json.links[1]!.target = "27_404_1";
    }),
    code: "DANGLING_REFERENCE",
    path: "$.links[1].target",
    mentions: ['"27_404_1"'],
  },
  {
    name: "a dangling link source is reported at source",
    input: graphWith((json) => {
      json.links[0]!.source = "E_1_9";
    }),
    code: "DANGLING_REFERENCE",
    path: "$.links[0].source",
  },
  {
    name: "a numeric link endpoint is a type error, not a dangling id",
    input: graphWith((json) => {
      json.links[0]!.source = 0;
    }),
    code: "INVALID_FIELD",
    path: "$.links[0].source",
  },
  {
    name: "a null link is rejected",
    input: graphWith((json) => {
      json.links[2] = null as unknown as TJsonObject;
    }),
    code: "INVALID_FIELD",
    path: "$.links[2]",
  },
  {
    name: "a boolean layer is rejected",
    input: graphWith((json) => {
      json.nodes[2]!.layer = true;
    }),
    code: "INVALID_FIELD",
    path: "$.nodes[2].layer",
    mentions: ['"E"'],
  },
  {
    name: "a layer string that is not a number or E is rejected",
    input: graphWith((json) => {
      json.nodes[1]!.layer = "L3";
    }),
    code: "INVALID_FIELD",
    path: "$.nodes[1].layer",
  },
  {
    name: "a negative ctx_idx is rejected",
    input: graphWith((json) => {
      json.nodes[1]!.ctx_idx = -1;
    }),
    code: "INVALID_FIELD",
    path: "$.nodes[1].ctx_idx",
  },
  {
    name: "a fractional ctx_idx is rejected",
    input: graphWith((json) => {
      json.nodes[1]!.ctx_idx = 1.5;
    }),
    code: "INVALID_FIELD",
    path: "$.nodes[1].ctx_idx",
  },
  {
    name: "a fractional feature is rejected",
    input: graphWith((json) => {
      json.nodes[1]!.feature = 0.5;
    }),
    code: "INVALID_FIELD",
    path: "$.nodes[1].feature",
  },
  {
    name: "a missing node_id is rejected",
    input: graphWith((json) => {
      delete json.nodes[3]!.node_id;
    }),
    code: "INVALID_FIELD",
    path: "$.nodes[3].node_id",
  },
  {
    name: "an influence given as text is rejected",
    input: graphWith((json) => {
      json.nodes[1]!.influence = "high";
    }),
    code: "INVALID_FIELD",
    path: "$.nodes[1].influence",
  },
  {
    name: "a node that is not an object is rejected",
    input: graphWith((json) => {
      json.nodes[0] = 7 as unknown as TJsonObject;
    }),
    code: "INVALID_FIELD",
    path: "$.nodes[0]",
  },
  {
    name: "malformed qk_tracing_results are reported inside the node",
    input: graphWith((json) => {
      json.nodes[1]!.qk_tracing_results = {
        pair_wise_contributors: [["a", "b"]],
        top_q_marginal_contributors: [],
        top_k_marginal_contributors: [],
      };
    }),
    code: "INVALID_FIELD",
    path: "$.nodes[1].qk_tracing_results.pair_wise_contributors[0]",
  },
  {
    name: "nodes that are not an array are rejected",
    input: graphWith((json) => {
      json.nodes = {} as unknown as TJsonObject[];
    }),
    code: "INVALID_FIELD",
    path: "$.nodes",
  },
  {
    name: "missing links are rejected",
    input: graphWith((json) => {
      delete (json as TJsonObject).links;
    }),
    code: "INVALID_FIELD",
    path: "$.links",
  },
  {
    name: "missing metadata is rejected",
    input: graphWith((json) => {
      delete json.metadata;
    }),
    code: "INVALID_FIELD",
    path: "$.metadata",
  },
  {
    name: "a prompt token that is not a string is rejected",
    input: graphWith((json) => {
      (json.metadata as TJsonObject).prompt_tokens = ["<bos>", 42];
    }),
    code: "INVALID_FIELD",
    path: "$.metadata.prompt_tokens[1]",
  },
  {
    name: "a pinned id that is not a string is rejected",
    input: graphWith((json) => {
      (json.qParams as TJsonObject).pinnedIds = [3];
    }),
    code: "INVALID_FIELD",
    path: "$.qParams.pinnedIds[0]",
  },
  {
    name: "a supernode member that is not a string is rejected",
    input: graphWith((json) => {
      (json.qParams as TJsonObject).supernodes = [["label", 5]];
    }),
    code: "INVALID_FIELD",
    path: "$.qParams.supernodes[0][1]",
  },
  { name: "a top-level array is not a graph", input: "[1,2,3]", code: "INVALID_FIELD", path: "$" },
  {
    name: "bytes that are not UTF-8 are an encoding error",
    input: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    code: "INVALID_ENCODING",
    path: "$",
  },
  {
    name: "extra keys nested past the depth limit are rejected (they could not be exported)",
    input: graphWith((json) => {
      (json.metadata as TJsonObject).deep = JSON.parse("[".repeat(100) + "]".repeat(100));
    }),
    code: "INVALID_FIELD",
    path: "$.metadata",
    mentions: ["levels"],
  },
];

describe("unreadable graphs get a GraphFormatError naming the field", () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const error = readError(testCase.input);
      expect(error).toBeInstanceOf(GraphFormatError);
      expect({ code: error.code, path: error.path }).toEqual({ code: testCase.code, path: testCase.path });
      expect(error.issues[0]!.path).toBe(testCase.path);
      for (const words of testCase.mentions ?? []) expect(error.message).toContain(words);
    });
  }

  it("throws from parseGraph with the same error", () => {
    expect(() => parseGraph("{")).toThrow(GraphFormatError);
  });

  it("reports every problem of a file, in file order, not just the first", () => {
    const input = graphWith((json) => {
      json.nodes[1]!.layer = null;
      json.nodes[2]!.ctx_idx = "3";
      json.links[3]!.weight = false;
    });
    expect(readError(input).issues.map((issue) => issue.path)).toEqual([
      "$.nodes[1].layer",
      "$.nodes[2].ctx_idx",
      "$.links[3].weight",
    ]);
  });

  it("reports a truncated fixture at the very end of its text, in the array it was cut in", () => {
    for (const fixture of FIXTURES) {
      const text = readFixture(fixture).toString("utf8");
      const cut = text.slice(0, Math.floor(text.length * 0.75));
      const error = readError(cut);
      expect(error.code).toBe("INVALID_JSON");
      // At the end, or where an escape sequence the cut split in two (`\` + nothing) begins.
      const offset = error.position?.offset ?? -1;
      expect(offset === cut.length || (offset === cut.length - 1 && cut.endsWith("\\")), fixture.name).toBe(true);
      expect(error.path).toMatch(/^\$\.(nodes|links)\[\d+\]/);
    }
  });

  it("stops after the issue cap on 10^6 garbage nodes, first error first", () => {
    const input = `{"metadata":{"prompt_tokens":[]},"nodes":[${new Array(1_000_000).fill("1").join(",")}],"links":[]}`;
    const error = readError(input);
    expect(error.issues).toHaveLength(DEFAULT_MAX_ISSUES);
    expect(error.isTruncated).toBe(true);
    expect(error.path).toBe("$.nodes[0]");
    expect(error.issues.at(-1)!.path).toBe(`$.nodes[${DEFAULT_MAX_ISSUES - 1}]`);
  });

  it("stops after the issue cap on 10^6 dangling links", () => {
    const nodes = [makeNode("a")];
    const links = new Array(1_000_000).fill({ source: "a", target: "nowhere", weight: 1 });
    const error = readError(JSON.stringify({ metadata: { prompt_tokens: ["x"] }, nodes, links }));
    expect(error.issues).toHaveLength(DEFAULT_MAX_ISSUES);
    expect(error.issues.every((issue) => issue.code === "DANGLING_REFERENCE")).toBe(true);
    expect(error.path).toBe("$.links[0].target");
  });

  it("gives a bounded path for a 10^6-deep truncated document instead of a megabyte-long one", () => {
    const error = readError("[".repeat(1_000_000));
    expect(error.code).toBe("INVALID_JSON");
    expect(error.path.length).toBeLessThan(200);
  });

  it("keeps the received value short even when it is huge", () => {
    const error = readError(
      graphWith((json) => {
        json.nodes[1]!.layer = "x".repeat(1_000_000);
      }),
    );
    expect(error.message.length).toBeLessThan(300);
  });

  it("serialises to JSON with code, path, message and every issue", () => {
    const json = JSON.parse(
      JSON.stringify(
        readError(
          graphWith((json) => {
            json.links[0]!.weight = "w";
          }),
        ),
      ),
    ) as Record<string, unknown>;
    expect(json).toMatchObject({ code: "INVALID_FIELD", path: "$.links[0].weight", expected: "a finite number" });
    expect(json.issues).toHaveLength(1);
  });
});

describe("odd but readable graphs parse with warnings", () => {
  it("warns about pins that name no node, with the pin's path", () => {
    const graph = parseGraph(
      graphWith((json) => {
        (json.qParams as TJsonObject).pinnedIds = ["0_17_1", "gone"];
      }),
    );
    expect(graph.warnings.map((warning) => [warning.code, warning.path])).toEqual([
      ["UNRESOLVED_REFERENCE", "$.qParams.pinnedIds[1]"],
    ]);
  });

  it("warns about a ctx_idx past the prompt", () => {
    const graph = parseGraph(
      graphWith((json) => {
        json.nodes[1]!.ctx_idx = 9;
      }),
    );
    expect(graph.warnings.map((warning) => warning.path)).toEqual(["$.nodes[1].ctx_idx"]);
  });
});

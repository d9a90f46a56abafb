import { closeSync, openSync, writeSync } from "node:fs";
import { basename } from "node:path";
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/**
 * A small helper for writing ONNX graphs in code: values are named strings, `op` appends a node
 * and returns its output name, and weights become float32 initializers. Opset 17 (ReduceMean
 * still takes `axes` as an attribute there; ReduceSum, Squeeze and Unsqueeze take them as inputs).
 *
 * Protobuf caps a message at 2 GB, and real models are larger (Llama-3.2-1B is 5 GB in float32),
 * so with `externalDataPath` set the weights go to that file instead ("external data", located
 * relative to the model file) and the graph must be loaded from a model file in the same directory.
 */
export const OPSET = 17;

type AttrValue = number | number[] | string | { float: number };
export type Dim = number | string; // a string is a symbolic (dynamic) dimension

export class OnnxGraphBuilder {
  private nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly constants = new Map<string, string>();
  private counter = 0;
  private externalFd: number | null = null;
  private externalOffset = 0;

  constructor(
    private readonly name: string,
    private readonly externalDataPath: string | null = null,
  ) {
    if (externalDataPath) this.externalFd = openSync(externalDataPath, "w");
  }

  private fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  input(name: string, type: "float" | "int64", dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Mark `value` as a graph output called `name` (through an Identity when the names differ). */
  output(name: string, value: string, type: "float" | "int64", dims: Dim[]): void {
    if (value !== name)
      this.nodes.push({ opType: "Identity", input: [value], output: [name], name: this.fresh("out") });
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A float32 initializer (weights); written to the external data file when there is one. */
  weight(name: string, data: Float32Array, dims: number[]): string {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (this.externalFd !== null && this.externalDataPath && bytes.length >= 1024) {
      writeSync(this.externalFd, bytes, 0, bytes.length, this.externalOffset);
      this.initializers.push({
        name,
        dims,
        dataType: onnx.TensorProto.DataType.FLOAT,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: "location", value: basename(this.externalDataPath) },
          { key: "offset", value: String(this.externalOffset) },
          { key: "length", value: String(bytes.length) },
        ],
      });
      this.externalOffset += Math.ceil(bytes.length / 64) * 64; // keep every tensor 64-byte aligned
    } else {
      this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes.slice() });
    }
    return name;
  }

  /** Deduplicated int64 constant (shapes, axes, indices). dims = [] makes a scalar. */
  int64(values: number[], dims: number[] = [values.length]): string {
    const key = `i64:${dims.join("x")}:${values.join(",")}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.fresh("const_i64");
      const buf = new BigInt64Array(values.map((v) => BigInt(v)));
      this.initializers.push({
        name,
        dims,
        dataType: onnx.TensorProto.DataType.INT64,
        rawData: new Uint8Array(buf.buffer),
      });
      this.constants.set(key, name);
    }
    return name;
  }

  /** Deduplicated float32 constant. dims = [] makes a scalar. */
  float(values: number[], dims: number[] = []): string {
    const key = `f32:${dims.join("x")}:${values.join(",")}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.fresh("const_f32");
      this.weight(name, new Float32Array(values), dims);
      this.constants.set(key, name);
    }
    return name;
  }

  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, hint = opType.toLowerCase()): string {
    const out = this.fresh(hint);
    this.nodes.push({
      opType,
      input: inputs,
      output: [out],
      name: this.fresh(`n_${opType}`),
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /**
   * ONNX `If`: runs one of two branches and returns its float outputs. The branches are built by
   * callbacks using this same builder; their nodes go into subgraphs, while constants and weights
   * stay initializers of the main graph (subgraphs may read outer-scope values by name).
   */
  ifElse(cond: string, thenBranch: () => string[], elseBranch: () => string[], hint = "if"): string[] {
    const branch = (build: () => string[], name: string): onnxProto.onnx.IGraphProto => {
      const outer = this.nodes;
      this.nodes = [];
      // An output must be produced inside its branch, so each one passes through an Identity there.
      const outputs = build().map((v) => this.op("Identity", [v], {}, `${name}_out`));
      const graph = {
        name: this.fresh(name),
        node: this.nodes,
        output: outputs.map((o) => ({ name: o, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } })),
      };
      this.nodes = outer;
      return graph;
    };
    const thenGraph = branch(thenBranch, `${hint}_then`);
    const elseGraph = branch(elseBranch, `${hint}_else`);
    if (thenGraph.output!.length !== elseGraph.output!.length)
      throw new Error(
        `OnnxGraphBuilder.ifElse: branches of ${hint} return ${thenGraph.output!.length} and ${elseGraph.output!.length} values`,
      );
    const outs = thenGraph.output!.map(() => this.fresh(hint));
    const T = onnx.AttributeProto.AttributeType;
    this.nodes.push({
      opType: "If",
      input: [cond],
      output: outs,
      name: this.fresh("n_If"),
      attribute: [
        { name: "then_branch", type: T.GRAPH, g: thenGraph },
        { name: "else_branch", type: T.GRAPH, g: elseGraph },
      ],
    });
    return outs;
  }

  toBytes(): Uint8Array {
    if (this.externalFd !== null) {
      closeSync(this.externalFd);
      this.externalFd = null;
    }
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: "circuitboard-gpu-worker",
      opsetImport: [{ domain: "", version: OPSET }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, type: "float" | "int64", dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  const elemType = type === "float" ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64;
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === "string") return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if (typeof v === "number") return { name, type: T.INT, i: v };
  return { name, type: T.FLOAT, f: v.float };
}

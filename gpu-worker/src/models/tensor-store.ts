import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { SafetensorsFile } from "./safetensors-file";
import { sameShape, shapeString, type Tensor } from "./tensor";

/**
 * All tensors of a checkpoint directory, whether in one `model.safetensors` or sharded as
 * `model-0000x-of-0000y.safetensors` with `model.safetensors.index.json` ({weight_map: {name: file}}).
 * `take(name, shape)` is the only way weights leave the store: it checks the shape and names the
 * file, tensor, expected and found shape when they differ (nanoGPT's from_pretrained habit).
 */
export class TensorStore {
  private readonly files = new Map<string, SafetensorsFile>();
  private readonly location = new Map<string, string>(); // tensor name -> file path
  readonly dir: string;

  constructor(dir: string, indexName = "model.safetensors.index.json", singleName = "model.safetensors") {
    this.dir = dir;
    const indexPath = join(dir, indexName);
    if (existsSync(indexPath)) {
      const index = JSON.parse(readFileSync(indexPath, "utf8")) as { weight_map?: Record<string, string> };
      if (!index.weight_map) throw new Error(`TensorStore: ${indexPath}: missing "weight_map"`);
      for (const [name, file] of Object.entries(index.weight_map)) this.location.set(name, join(dir, file));
    } else if (existsSync(join(dir, singleName))) {
      this.addFile(join(dir, singleName));
    } else {
      const candidates = readdirSync(dir).filter((f) => f.endsWith(".safetensors"));
      if (candidates.length === 0)
        throw new Error(`TensorStore: ${dir}: no ${singleName}, no ${indexName} and no *.safetensors file`);
      for (const f of candidates) this.addFile(join(dir, f));
    }
  }

  private addFile(path: string): void {
    const file = this.file(path);
    for (const name of file.entries.keys()) this.location.set(name, path);
  }

  private file(path: string): SafetensorsFile {
    let f = this.files.get(path);
    if (!f) {
      if (!existsSync(path)) throw new Error(`TensorStore: shard ${path} listed in the index does not exist`);
      f = SafetensorsFile.open(path);
      this.files.set(path, f);
    }
    return f;
  }

  /** Closes every shard's file handle; the store cannot read after this. */
  close(): void {
    for (const f of this.files.values()) f.close();
    this.files.clear();
  }

  has(name: string): boolean {
    return this.location.has(name);
  }

  names(): string[] {
    return [...this.location.keys()];
  }

  shapeOf(name: string): number[] | undefined {
    const path = this.location.get(name);
    return path ? this.file(path).entries.get(name)?.shape : undefined;
  }

  /** Rows [start, start + count) of a tensor along its first axis, without reading the rest. */
  readRows(name: string, start: number, count: number): Float32Array {
    const path = this.location.get(name);
    if (!path) throw new Error(`TensorStore: ${this.dir}: missing tensor "${name}"`);
    return this.file(path).readRows(name, start, count);
  }

  /** Checks that a tensor exists with this shape (without reading it); the errors name file, tensor and shapes. */
  check(name: string, expected?: readonly number[]): SafetensorsFile {
    const path = this.location.get(name);
    if (!path)
      throw new Error(
        `TensorStore: ${this.dir}: missing tensor "${name}"${expected ? ` (expected shape ${shapeString(expected)})` : ""}`,
      );
    const file = this.file(path);
    const entry = file.entries.get(name);
    if (!entry) throw new Error(`TensorStore: ${path}: index lists tensor "${name}" but the file does not contain it`);
    if (expected && !sameShape(entry.shape, expected)) {
      throw new Error(
        `TensorStore: ${path}: tensor "${name}" has shape ${shapeString(entry.shape)}, expected ${shapeString(expected)}`,
      );
    }
    return file;
  }

  /** Read a tensor and check its shape; `expected` may be omitted for tensors whose shape defines a dimension. */
  take(name: string, expected?: readonly number[]): Tensor {
    return this.check(name, expected).read(name);
  }
}

/**
 * The attribution rows of one prompt in one buffer, in the order they are computed: row r holds the
 * incoming edges of node node[r] over `nCols` columns (features, errors, tokens). Batches write
 * straight into their slice (no per-row arrays to allocate and collect), and each row's
 * 1 / max(Σ|row|, 1e-8), which every re-ranking needs, is computed once when the row is complete.
 */
export class RowBuffer {
  readonly data: Float32Array; // (capacity, nCols)
  readonly node: Int32Array; // (capacity) feature index, or nCols + k for logit k
  readonly inverseAbsSum: Float64Array; // (capacity)
  count = 0;

  constructor(
    readonly capacity: number,
    readonly nCols: number,
  ) {
    this.data = new Float32Array(capacity * nCols);
    this.node = new Int32Array(capacity);
    this.inverseAbsSum = new Float64Array(capacity);
  }

  static from(rows: Float32Array[], rowNode: number[], nCols: number): RowBuffer {
    const buffer = new RowBuffer(rows.length, nCols);
    const slice = buffer.reserve(rowNode);
    rows.forEach((row, b) => slice.set(row, b * nCols));
    buffer.commit(rows.length);
    return buffer;
  }

  row(r: number): Float32Array {
    return this.data.subarray(r * this.nCols, (r + 1) * this.nCols);
  }

  /** The next rows' slice (zeros), for the nodes given; commit(n) once they are written. */
  reserve(nodes: ArrayLike<number>): Float32Array {
    if (this.count + nodes.length > this.capacity)
      throw new Error(`RowBuffer: ${this.count} + ${nodes.length} rows exceed the capacity ${this.capacity}`);
    for (let b = 0; b < nodes.length; b++) this.node[this.count + b] = nodes[b]!;
    return this.data.subarray(this.count * this.nCols, (this.count + nodes.length) * this.nCols);
  }

  commit(n: number): void {
    const { data, nCols } = this;
    for (let r = this.count; r < this.count + n; r++) {
      let s = 0;
      for (let i = r * nCols; i < (r + 1) * nCols; i++) s += Math.abs(data[i]!);
      this.inverseAbsSum[r] = 1 / Math.max(s, 1e-8);
    }
    this.count += n;
  }
}

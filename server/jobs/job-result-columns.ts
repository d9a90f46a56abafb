/** Where a job's result went: the columns set on the job when it is marked done (job-kinds.ts). */
import type { Db } from "../db/client";

export interface ResultColumns {
  graphId?: string;
  resultJson?: string;
  resultBlobKey?: string;
}
/** Marks the job done with the result's columns, inside the transaction that writes the result (or throws). */
export type MarkDone = (tx: Db, columns: ResultColumns) => Promise<void>;

import type { TGraphFormatWarning } from "./graph-types";

/** Warnings never stop reading, so they are capped instead: a file with 10^5 duplicates keeps the first few. */
export const MAX_WARNINGS = 50;

export class WarningList {
  readonly warnings: TGraphFormatWarning[] = [];
  /** How many were dropped past the cap. */
  dropped = 0;

  add(code: TGraphFormatWarning["code"], path: string, expected: string, received: string, message: string): void {
    if (this.warnings.length >= MAX_WARNINGS) {
      this.dropped += 1;
      return;
    }
    this.warnings.push({ code, path, expected, received, message: `${path}: ${message}` });
  }
}

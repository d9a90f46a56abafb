/**
 * A one-line progress bar on stderr: phase, batches done / total, elapsed, ETA. On a terminal it
 * redraws in place; otherwise it prints a line at each 10% step so logs stay short.
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let lastDecile = -1;
  return {
    update({ phase, done, total }: { phase: string; done: number; total: number }) {
      const elapsedS = (performance.now() - started) / 1000;
      const etaS = done > 0 ? (elapsedS / done) * (total - done) : NaN;
      const width = 24;
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      const line = `${phase} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} batches  elapsed ${elapsedS.toFixed(1)} s  ETA ${Number.isFinite(etaS) ? etaS.toFixed(1) + " s" : "?"}`;
      if (stream.isTTY) stream.write(`\r${line}${done === total ? "\n" : ""}`);
      else {
        const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
        if (decile !== lastDecile) (stream.write(`${line}\n`), (lastDecile = decile));
      }
    },
  };
}

/**
 * The one logger of the app and the GPU worker (pino). Node-only: the browser never imports this entry.
 *
 *   format "json"    one JSON object per line (production, and whenever output is not a terminal)
 *   format "pretty"  coloured single lines for a developer's terminal (pino-pretty, synchronous, no worker thread)
 *
 * Fields that carry meaning across lines: `reqId` (one HTTP request, set by the app), `jobId`, `phase`, `model`
 * (the worker). Errors go in `err`, serialised with their `cause` chain: log an error once, where it is handled.
 */
import { pino, type Logger, type LevelWithSilent } from "pino";
import pretty from "pino-pretty";

export type { Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  /** Which program writes the line ("app", "worker", …). */
  name: string;
  level?: LevelWithSilent;
  /** Default: pretty on an interactive terminal outside production, JSON otherwise. */
  format?: LogFormat;
  /** Where lines go (default: standard error, so a CLI's standard output stays its result). */
  destination?: NodeJS.WritableStream;
}

export function defaultLogFormat(stream: { isTTY?: boolean } = process.stderr): LogFormat {
  return stream.isTTY && process.env.NODE_ENV !== "production" ? "pretty" : "json";
}

export function createLogger(o: LoggerOptions): Logger {
  const destination = o.destination ?? process.stderr;
  const format = o.format ?? defaultLogFormat(destination as { isTTY?: boolean });
  const options = {
    name: o.name,
    level: o.level ?? "info",
    base: { name: o.name },
    serializers: { err: pino.stdSerializers.errWithCause },
  };
  if (format === "pretty") {
    return pino(options, pretty({ destination, sync: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss.l" }));
  }
  return pino(options, destination);
}

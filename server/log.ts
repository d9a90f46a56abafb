/**
 * The app's logger: one pino instance (configured by LOG_LEVEL / LOG_FORMAT), and per-request children that
 * carry the request id, so every line a request causes can be found with one `reqId`.
 */
import { randomUUID } from "node:crypto";
import { createLogger, type Logger } from "@circuitboard/shared/log";
import { env } from "./env";

/** The header carrying a request's id (set by the front server; generated here when absent). */
export const REQUEST_ID_HEADER = "x-request-id";

let root: Logger | undefined;

export function logger(): Logger {
  root ??= createLogger({ name: "app", level: env().LOG_LEVEL, format: env().LOG_FORMAT });
  return root;
}

/** The request's id: the front server's header when it is a plausible id, else a fresh one. */
export function requestIdOf(headers: { get(name: string): string | null }): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID();
}

export function requestLogger(req: { headers: { get(name: string): string | null } }): Logger {
  return logger().child({ reqId: requestIdOf(req.headers) });
}

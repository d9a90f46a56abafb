/**
 * `auth.*` procedures (sign-up, reset requests, verification) are never run in an HTTP batch: one batched
 * request once created 100 accounts. Per-IP limits still count each call, but a batch also turns many
 * attempts into one round trip, so the endpoint refuses it outright. The browser client sends these
 * procedures unbatched (app/_trpc/react.tsx). Other procedures batch as before (up to TRPC_MAX_BATCH).
 */
import { AppError } from "../errors";

const ENDPOINT = "/api/trpc/";

/** The refusal for a batch that contains an auth.* call, or null for anything else. */
export function batchedAuthError(req: Request): AppError | null {
  const url = new URL(req.url);
  // tRPC treats a request as a batch exactly when ?batch=1 (its resolveResponse); the paths are then
  // comma-separated in the URL.
  if (url.searchParams.get("batch") !== "1") return null;
  const start = url.pathname.indexOf(ENDPOINT);
  const paths = decodeURIComponent(url.pathname.slice(start + ENDPOINT.length)).split(",");
  if (!paths.some((p) => p.trim().startsWith("auth."))) return null;
  return new AppError(
    "BAD_REQUEST",
    "auth.* procedures cannot be batched; send each one as its own request (without ?batch=1)",
  );
}

/**
 * What every request handler works with — the database, the blob store, who is calling, from where — built in
 * one place, so that route handlers, the tRPC endpoint and server components never reach for server/db or
 * the storage themselves (app/ imports neither; .dependency-cruiser.cjs enforces it).
 */
import type { NextRequest } from "next/server";
import { clientIp } from "../auth/client-ip";
import { getRequestUser } from "../auth/request-user";
import { getDb, type Db } from "../db/client";
import { getMailer } from "../mail";
import type { Mailer } from "../mail/mailer";
import type { SessionUser } from "../services/auth/users";
import { requestIdOf } from "../log";
import { getBlobStore } from "../storage";
import type { BlobStore } from "../storage/blob-store";

export interface RequestContext {
  db: Db;
  store: BlobStore;
  mailer: Mailer;
  user: SessionUser | null;
  /** The client's address as the front server saw it (server/http/client-headers.ts). */
  ip: string;
  /** The front server's request id (x-request-id): logged with every 500 and named in its message. */
  requestId?: string;
}

/** The app's backing services, for handlers whose caller is not a user (the worker API). */
export function backingServices(): Pick<RequestContext, "db" | "store" | "mailer"> {
  return { db: getDb(), store: getBlobStore(), mailer: getMailer() };
}

/** A route handler's or the tRPC endpoint's context: the caller by Bearer API key or session cookie. */
export async function requestContext(req: NextRequest): Promise<RequestContext> {
  return {
    ...backingServices(),
    user: await getRequestUser(req),
    ip: clientIp((name) => req.headers.get(name)),
    requestId: requestIdOf(req.headers),
  };
}

/** A server component's context: the session user, from the request's headers. */
export function sessionContext(user: SessionUser | null, header: (name: string) => string | null): RequestContext {
  return { ...backingServices(), user, ip: clientIp(header), requestId: requestIdOf({ get: header }) };
}

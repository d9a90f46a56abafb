/** Test data builders: each test makes its own users and workspaces, so tests never share state. */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlobStore } from "~/server/storage/blob-store";
import { LocalBlobStore } from "~/server/storage/local-blob-store";
import type { Role } from "~/server/authz/roles";
import type { Db } from "~/server/db/client";
import type { SessionUser } from "~/server/services/auth/users";
import { ensurePersonalWorkspace } from "~/server/services/workspaces";
import { createCaller } from "~/server/trpc/root";
import { createMailer, type Mailer } from "~/server/mail/mailer";
import { importGraph } from "~/server/services/graphs";
import { SMALL_GRAPH } from "./fixtures";

export function uniq(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/**
 * A user without a password (no Argon2 cost), with a personal workspace, as sign-up would leave it, and
 * with a verified address unless `isEmailVerified: false`.
 */
export async function seedUser(
  db: Db,
  name = uniq("user"),
  { isEmailVerified = true }: { isEmailVerified?: boolean } = {},
): Promise<SessionUser> {
  const user = await db.user.create({
    data: { email: `${name}@example.test`, name, emailVerifiedAt: isEmailVerified ? new Date() : null },
    select: { id: true, email: true, name: true },
  });
  await ensurePersonalWorkspace(db, user);
  return user;
}

export async function seedWorkspace(db: Db, members: Partial<Record<string, { user: SessionUser; role: Role }>>) {
  const slug = uniq("ws");
  const ws = await db.workspace.create({ data: { slug, name: `Workspace ${slug}` } });
  for (const m of Object.values(members)) {
    if (m) await db.membership.create({ data: { workspaceId: ws.id, userId: m.user.id, role: m.role } });
  }
  return ws;
}

export const testStore = new LocalBlobStore(mkdtempSync(join(tmpdir(), "cb-test-blobs-")));

/** A mailer writing to a fresh temporary outbox, quietly (read it with readOutbox). */
export function testMailer(): Mailer & { outboxDir: string } {
  const outboxDir = mkdtempSync(join(tmpdir(), "cb-test-outbox-"));
  const mailer = createMailer({
    from: "Circuitboard <no-reply@example.test>",
    outboxDir,
    baseUrl: "http://circuitboard.test",
    log: () => undefined,
  });
  return Object.assign(mailer, { outboxDir });
}

export const sharedTestMailer = testMailer();

/** Sign-up limits high enough never to get in a test's way (tests of the limits pass their own). */
export const TEST_ABUSE_LIMITS = { maxPerIp: 1000, maxMailsPerAddress: 1000, windowSeconds: 3600 };

export function callerFor(
  db: Db,
  user: SessionUser | null,
  store: BlobStore = testStore,
  { mailer = sharedTestMailer, ip = "127.0.0.1" }: { mailer?: Mailer; ip?: string } = {},
) {
  return createCaller({ db, store, mailer, user, ip });
}

/** The small carried graph (demo-genesis) imported into a workspace by one of its members. */
export async function seedGraph(
  db: Db,
  { actor, slug, visibility = "private" }: { actor: SessionUser; slug: string; visibility?: "private" | "public" },
) {
  return importGraph(db, testStore, {
    actor,
    slug,
    body: SMALL_GRAPH,
    maxBytes: 1e8,
    visibility,
    compression: "inline",
  });
}

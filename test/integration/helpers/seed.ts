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

export function uniq(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** A user without a password (no Argon2 cost), with a personal workspace, as sign-up would leave it. */
export async function seedUser(db: Db, name = uniq("user")): Promise<SessionUser> {
  const user = await db.user.create({
    data: { email: `${name}@example.test`, name },
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

export function callerFor(db: Db, user: SessionUser | null, store: BlobStore = testStore) {
  return createCaller({ db, store, user, ip: "127.0.0.1" });
}

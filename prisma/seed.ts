/**
 * Demo data for a fresh install: a demo user with a personal workspace and a team workspace.
 * Idempotent, so `npm start` runs it every time. Tests use the same helpers.
 */
import type { Db } from "../server/db/client";
import { signUp } from "../server/services/auth/users";

export const DEMO_USER = { email: "demo@circuitboard.local", name: "Demo Researcher", password: "circuitboard-demo" } as const;
export const DEMO_WORKSPACE = { slug: "demo", name: "Demo workspace" } as const;

export async function seedDemo(db: Db): Promise<{ isNew: boolean }> {
  const existing = await db.user.findUnique({ where: { email: DEMO_USER.email } });
  if (existing) return { isNew: false };
  const user = await signUp(db, DEMO_USER);
  if (!(await db.workspace.findUnique({ where: { slug: DEMO_WORKSPACE.slug } }))) {
    await db.workspace.create({
      data: { ...DEMO_WORKSPACE, members: { create: { userId: user.id, role: "owner" } } },
    });
  }
  return { isNew: true };
}

const isMain = process.argv[1]?.endsWith("seed.ts");
if (isMain) {
  const { applyMigrations } = await import("../server/db/migrate");
  const { createDb } = await import("../server/db/client");
  const { env } = await import("../server/env");
  await applyMigrations(env().DATABASE_URL);
  const db = createDb(env().DATABASE_URL);
  const { isNew } = await seedDemo(db);
  console.log(isNew ? "Seeded the demo user and workspace." : "Demo data already present.");
  await db.$disconnect();
}

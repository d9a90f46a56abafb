/**
 * The committed migrations must match prisma/models.prisma, for both databases:
 *  1. the newest migration's snapshot is the current models file (else: `npm run db:migration -- <name>`);
 *  2. a database built by replaying the committed SQL has exactly the structure (tables, columns, types,
 *     nullability, defaults, indexes, foreign keys) of one built fresh from the models by Prisma;
 *  3. re-applying is a no-op, and an edited, already-applied migration is refused.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDb } from "~/server/db/client";
import { applyMigrations } from "~/server/db/migrate";
import { sqliteFilePath, type DbProvider } from "~/server/database-url";
import { diffSql, lastSnapshot, MODELS_FILE } from "~/scripts/db-schema";
import { createEmptyDatabase } from "../helpers/databases";

async function describeStructure(provider: DbProvider, url: string): Promise<unknown> {
  if (provider === "sqlite") {
    const db = new Database(sqliteFilePath(url), { readonly: true });
    try {
      const tables = (
        db
          .prepare(
            `SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> '_circuitboard_migrations' ORDER BY name`,
          )
          .all() as { name: string }[]
      ).map((t) => t.name);
      return tables.map((t) => ({
        table: t,
        columns: db.prepare(`PRAGMA table_info("${t}")`).all(),
        indexes: (db.prepare(`PRAGMA index_list("${t}")`).all() as { name: string; unique: number }[])
          .map((i) => ({ unique: i.unique, cols: db.prepare(`PRAGMA index_info("${i.name}")`).all() }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        foreignKeys: db
          .prepare(`PRAGMA foreign_key_list("${t}")`)
          .all()
          .map((f) => ({ ...(f as object), id: 0, seq: 0 })),
      }));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns:
        await q(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
                        WHERE table_schema='public' AND table_name <> '_circuitboard_migrations' ORDER BY table_name, column_name`),
      indexes: await q(
        `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname='public' AND tablename <> '_circuitboard_migrations' ORDER BY indexdef`,
      ),
      constraints: await q(
        `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace='public'::regnamespace AND conname NOT LIKE '\\_circuitboard%' ORDER BY conname`,
      ),
    };
  } finally {
    await client.end();
  }
}

async function executeSql(provider: DbProvider, url: string, sql: string) {
  if (provider === "sqlite") {
    const db = new Database(sqliteFilePath(url));
    db.exec(sql);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql);
  await client.end();
}

for (const provider of ["sqlite", "postgresql"] as const) {
  describe(`migrations [${provider}]`, () => {
    it("the newest migration's snapshot is the current models file", () => {
      expect(
        lastSnapshot(provider),
        "models.prisma changed without a migration: run `npm run db:migration -- <name>`",
      ).toBe(readFileSync(MODELS_FILE, "utf8"));
    });

    it("replaying the committed SQL builds the same structure as the models", async () => {
      let fromMigrations;
      try {
        fromMigrations = await createEmptyDatabase(provider);
      } catch (e) {
        if (provider === "postgresql") return console.warn(`SKIPPED (PostgreSQL unreachable): ${(e as Error).message}`);
        throw e;
      }
      const fromModels = await createEmptyDatabase(provider);
      try {
        await applyMigrations(fromMigrations.url);
        await executeSql(
          provider,
          fromModels.url,
          diffSql(provider, "", readFileSync(MODELS_FILE, "utf8"), join(tmpdir(), "cb-drift")),
        );
        expect(await describeStructure(provider, fromMigrations.url)).toEqual(
          await describeStructure(provider, fromModels.url),
        );
      } finally {
        await fromMigrations.drop();
        await fromModels.drop();
      }
    });

    it("upgrading a database with accounts keeps every row; only the demo user starts verified", async () => {
      let t;
      try {
        t = await createEmptyDatabase(provider);
      } catch (e) {
        if (provider === "postgresql") return console.warn(`SKIPPED (PostgreSQL unreachable): ${(e as Error).message}`);
        throw e;
      }
      // The migrations as they were before the identity migration, applied to a fresh database…
      const root = join(tmpdir(), `cb-mig-up-${process.pid}-${provider}`);
      const { cpSync, readdirSync, rmSync } = await import("node:fs");
      const dir = join(root, "prisma", "migrations", provider);
      cpSync(join("prisma", "migrations", provider), dir, { recursive: true });
      const names = readdirSync(dir).sort();
      const identity = names.findIndex((n) => n.endsWith("_identity"));
      expect(identity, "the identity migration").toBeGreaterThan(0);
      for (const n of names.slice(identity)) rmSync(join(dir, n), { recursive: true });
      try {
        await applyMigrations(t.url, root);
        // …holding two accounts, a team workspace with both as members, and an API key.
        await executeSql(
          provider,
          t.url,
          `INSERT INTO "User" ("id", "email", "name", "createdAt") VALUES
             ('u_demo', 'demo@circuitboard.local', 'Demo', CURRENT_TIMESTAMP),
             ('u_old', 'old@example.test', 'Old', CURRENT_TIMESTAMP);
           INSERT INTO "Workspace" ("id", "slug", "name", "createdAt") VALUES ('w1', 'team', 'Team', CURRENT_TIMESTAMP);
           INSERT INTO "Membership" ("id", "workspaceId", "userId", "role", "createdAt") VALUES
             ('m1', 'w1', 'u_demo', 'owner', CURRENT_TIMESTAMP), ('m2', 'w1', 'u_old', 'viewer', CURRENT_TIMESTAMP);
           INSERT INTO "ApiKey" ("id", "userId", "name", "prefix", "hash", "createdAt") VALUES
             ('k1', 'u_old', 'k', 'cb_x', 'h1', CURRENT_TIMESTAMP);`,
        );
        expect((await applyMigrations(t.url)).length).toBeGreaterThan(0);
        const db = createDb(t.url);
        try {
          const users = await db.user.findMany({ orderBy: { id: "asc" } });
          expect(users.map((u) => [u.id, u.emailVerifiedAt !== null, u.sessionEpoch])).toEqual([
            ["u_demo", true, 0],
            ["u_old", false, 0],
          ]);
          expect(await db.membership.count({ where: { workspaceId: "w1" } })).toBe(2);
          expect(await db.apiKey.findMany({ select: { id: true, sessionEpoch: true } })).toEqual([
            { id: "k1", sessionEpoch: 0 },
          ]);
        } finally {
          await db.$disconnect();
        }
      } finally {
        await t.drop();
        rmSync(root, { recursive: true, force: true });
      }
    });

    it("re-applying is a no-op and an edited applied migration is refused", async () => {
      let t;
      try {
        t = await createEmptyDatabase(provider);
      } catch (e) {
        if (provider === "postgresql") return console.warn(`SKIPPED (PostgreSQL unreachable): ${(e as Error).message}`);
        throw e;
      }
      const root = join(tmpdir(), `cb-mig-${process.pid}-${provider}`);
      try {
        expect((await applyMigrations(t.url)).length).toBeGreaterThan(0);
        expect(await applyMigrations(t.url)).toEqual([]);
        // A copy of the migrations with the first one edited.
        const { cpSync, readdirSync } = await import("node:fs");
        cpSync(join("prisma", "migrations"), join(root, "prisma", "migrations"), { recursive: true });
        const first = readdirSync(join(root, "prisma", "migrations", provider)).sort()[0]!;
        const file = join(root, "prisma", "migrations", provider, first, "migration.sql");
        writeFileSync(file, readFileSync(file, "utf8") + "\n-- edited\n");
        await expect(applyMigrations(t.url, root)).rejects.toThrow(/edited after it was applied/);
      } finally {
        await t.drop();
      }
    });
  });
}

/**
 * The real databases integration tests run against: a fresh SQLite file, and a fresh database on the
 * local PostgreSQL server (127.0.0.1:5432, or TEST_POSTGRES_URL). When PostgreSQL is not reachable its
 * suites are skipped with the reason printed, and the SQLite suites still run.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { createDb, type Db } from "~/server/db/client";
import { applyMigrations } from "~/server/db/migrate";
import { whenCompressed } from "~/server/services/graphs";
import type { DbProvider } from "~/server/database-url";

// The server the PostgreSQL suites create their databases on: TEST_POSTGRES_URL, else a postgresql://
// DATABASE_URL (so `DATABASE_URL=postgresql://… npm test -- integration` uses that server), else the local one.
const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ??
  (process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined) ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  provider: DbProvider;
  url: string;
  drop(): Promise<void>;
}

async function postgresUnavailableReason(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (e) {
    return `PostgreSQL at ${POSTGRES_ADMIN_URL} is not reachable (${(e as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgUnavailable = await postgresUnavailableReason();
/** Why the PostgreSQL suites are skipped, or null when PostgreSQL is reachable. */
export const postgresUnavailable: string | null = pgUnavailable;
if (pgUnavailable) console.warn(`SKIPPING the PostgreSQL integration suites: ${pgUnavailable}`);
if (pgUnavailable && process.env.REQUIRE_POSTGRES === "1") {
  throw new Error(`REQUIRE_POSTGRES=1 but ${pgUnavailable}`);
}

/** An empty, unmigrated database of the provider. */
export async function createEmptyDatabase(provider: DbProvider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "cb-test-"));
    return {
      provider,
      url: `file:${join(dir, "test.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `cb_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    provider,
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface MigratedDatabase extends TestDatabase {
  db: Db;
}

export async function createMigratedDatabase(provider: DbProvider): Promise<MigratedDatabase> {
  const t = await createEmptyDatabase(provider);
  await applyMigrations(t.url);
  const db = createDb(t.url);
  return {
    ...t,
    db,
    drop: async () => {
      await db.$disconnect();
      await t.drop();
    },
  };
}

/**
 * Defines `name` once per database provider. `body` gets a getter for that provider's migrated database
 * (created in beforeAll, dropped in afterAll).
 */
export function describeEachDatabase(name: string, body: (get: () => MigratedDatabase) => void): void {
  for (const provider of ["sqlite", "postgresql"] as const) {
    const skip = provider === "postgresql" && pgUnavailable !== null;
    describe.skipIf(skip)(`${name} [${provider}]`, () => {
      let database: MigratedDatabase | undefined;
      beforeAll(async () => {
        database = await createMigratedDatabase(provider);
      });
      afterAll(async () => {
        await whenCompressed(); // background work of this suite's imports, before its database goes
        await database?.drop();
      });
      body(() => {
        if (!database) throw new Error("database not ready");
        return database;
      });
    });
  }
}

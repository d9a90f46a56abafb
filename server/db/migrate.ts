/**
 * Applies the committed SQL migrations (prisma/migrations/<provider>/NNNN_name/migration.sql) in order,
 * each once, recording them in `_circuitboard_migrations`. Prisma's own `migrate deploy` cannot run
 * offline for PostgreSQL, so the app does this itself, for both providers the same way.
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import pg from "pg";
import { providerOf, sqliteFilePath, type DbProvider } from "../database-url";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(provider: DbProvider, rootDir = process.cwd()): Migration[] {
  const dir = join(rootDir, "prisma", "migrations", provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d{4}_/.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS "_circuitboard_migrations" (
  "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`;

export interface ApplyMigrationsOptions {
  /**
   * Runs after the migrations, still inside the migration lock (PostgreSQL's advisory lock), so that
   * instances starting together seed one after the other instead of racing (`npm start` seeds here).
   */
  whileLocked?: () => Promise<void>;
}

/** Returns the names of the migrations it applied (empty when the database was up to date). */
export async function applyMigrations(
  databaseUrl: string,
  rootDir = process.cwd(),
  { whileLocked }: ApplyMigrationsOptions = {},
): Promise<string[]> {
  const provider = providerOf(databaseUrl);
  const migrations = readMigrations(provider, rootDir);
  if (provider === "postgresql") return applyPostgres(databaseUrl, migrations, whileLocked);
  const done = applySqlite(sqliteFilePath(databaseUrl), migrations);
  await whileLocked?.(); // one SQLite file has one app instance; the seed is idempotent besides
  return done;
}

function checkNotEdited(applied: Map<string, string>, m: Migration): boolean {
  const seen = applied.get(m.name);
  if (seen === undefined) return false;
  if (seen !== m.checksum) {
    throw new Error(
      `migration ${m.name} was edited after it was applied (checksum differs); add a new migration instead`,
    );
  }
  return true;
}

function applySqlite(file: string, migrations: Migration[]): string[] {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file, { timeout: 30_000 });
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec(LEDGER_DDL);
    // One transaction, taken as the writer before the ledger is read: a second process opening the same
    // fresh file waits (busy timeout) and then finds everything applied, instead of applying it twice.
    const done: string[] = [];
    // Prisma's SQLite migrations redefine a table by copying it and dropping the original. With foreign
    // keys enforced (better-sqlite3's default), that DROP would cascade-delete every row referencing the
    // table (memberships, workspaces, graphs…), and the migration's own `PRAGMA foreign_keys=OFF` is a
    // no-op inside a transaction. So enforcement is off around the migrations and each result is checked.
    sqlite.pragma("foreign_keys = OFF");
    sqlite
      .transaction(() => {
        const rows = sqlite.prepare(`SELECT name, checksum FROM "_circuitboard_migrations"`).all() as {
          name: string;
          checksum: string;
        }[];
        const applied = new Map(rows.map((r) => [r.name, r.checksum]));
        for (const m of migrations) {
          if (checkNotEdited(applied, m)) continue;
          sqlite.exec(m.sql);
          const broken = sqlite.pragma("foreign_key_check") as unknown[];
          if (broken.length > 0) {
            throw new Error(
              `migration ${m.name} leaves ${broken.length} broken foreign key(s): ${JSON.stringify(broken[0])}`,
            );
          }
          sqlite
            .prepare(`INSERT INTO "_circuitboard_migrations" (name, checksum, "appliedAt") VALUES (?, ?, ?)`)
            .run(m.name, m.checksum, new Date().toISOString());
          done.push(m.name);
        }
      })
      .immediate();
    return done;
  } finally {
    sqlite.close();
  }
}

async function applyPostgres(
  url: string,
  migrations: Migration[],
  whileLocked?: () => Promise<void>,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time across all app instances starting together.
    await client.query("SELECT pg_advisory_lock(727274)");
    await client.query(LEDGER_DDL);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM "_circuitboard_migrations"`,
    );
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      if (checkNotEdited(applied, m)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO "_circuitboard_migrations" (name, checksum, "appliedAt") VALUES ($1, $2, $3)`, [
          m.name,
          m.checksum,
          new Date().toISOString(),
        ]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
      }
      done.push(m.name);
    }
    await whileLocked?.();
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock(727274)").catch(() => undefined);
    await client.end();
  }
}

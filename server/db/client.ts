/**
 * The Prisma client, built once per process over a driver adapter (Prisma's native engines are never
 * downloaded). Both providers' clients are generated from the same models (scripts/db-schema.ts), so they
 * share one API; the app is typed against the SQLite client's types.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaClient as SqliteClient } from "~/prisma/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "~/prisma/generated/postgresql/client";
import { env } from "../env";
import { providerOf, sqliteFilePath } from "../database-url";

export type Db = SqliteClient;
export type { Prisma } from "~/prisma/generated/sqlite/client";

export function createDb(databaseUrl: string): Db {
  if (providerOf(databaseUrl) === "postgresql") {
    // Same models, same generated API: only the SQL dialect differs.
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) }) as unknown as Db;
    postgresClients.add(client);
    return client;
  }
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(dirname(file), { recursive: true });
  return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: file }) });
}

/** Clients created for PostgreSQL (Prisma hands back a proxy, so `instanceof` cannot tell). */
const postgresClients = new WeakSet<object>();

/** Which database a client talks to (the live channel crosses instances on PostgreSQL only). */
export function isPostgres(db: Db): boolean {
  return postgresClients.has(db);
}

const globalForDb = globalThis as unknown as { circuitboardDb?: Db };

/** The process-wide client; cached on globalThis so Next's hot reload reuses it. */
export function getDb(): Db {
  globalForDb.circuitboardDb ??= createDb(env().DATABASE_URL);
  return globalForDb.circuitboardDb;
}

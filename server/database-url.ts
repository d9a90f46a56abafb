/**
 * The two databases Circuitboard runs on, and how a DATABASE_URL picks one.
 * SQLite is the embedded default (a file under ./data); PostgreSQL is the scale-out choice.
 * This module has no dependencies so that scripts, prisma.config.ts and the app can all share it.
 */
export const DB_PROVIDERS = ["sqlite", "postgresql"] as const;
export type DbProvider = (typeof DB_PROVIDERS)[number];

export const DEFAULT_DATABASE_URL = "file:./data/circuitboard.db";

export function providerOf(databaseUrl: string): DbProvider {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  if (databaseUrl.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${databaseUrl.slice(0, 24)}…"`,
  );
}

/** `file:./data/x.db` → the file path the SQLite driver opens (relative paths are from the working directory). */
export function sqliteFilePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, "");
}

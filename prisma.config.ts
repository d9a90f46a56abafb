/**
 * Prisma CLI configuration. Prisma's native engines cannot be downloaded offline, so the CLI runs its
 * JavaScript engine over the same driver adapters the app uses. PRISMA_PROVIDER (set by scripts) or
 * DATABASE_URL picks the provider; only `prisma generate` and `prisma migrate diff` are used (see scripts/db-schema.ts).
 */
import { defineConfig } from "prisma/config";
import { DEFAULT_DATABASE_URL, providerOf, sqliteFilePath, type DbProvider } from "./server/database-url";

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const provider = (process.env.PRISMA_PROVIDER as DbProvider | undefined) ?? providerOf(url);
// `migrate diff` between two datamodels still opens a connection first; a database of the provider is
// needed, not a particular one. SQLite gets an in-memory database unless DATABASE_URL names a file.

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `prisma/generated/${provider}/schema.prisma`,
  async adapter() {
    if (provider === "postgresql") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({
        connectionString: url.startsWith("postgres") ? url : "postgresql://postgres@127.0.0.1:5432/postgres",
      });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({
      url: process.env.DATABASE_URL?.startsWith("file:") ? sqliteFilePath(url) : ":memory:",
    });
  },
});

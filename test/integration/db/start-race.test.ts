/**
 * Two instances starting together on a fresh database: both migrate and seed (`prisma/seed.ts`, the same
 * migrate-then-seed-inside-the-lock path as `npm start`), both succeed, and the demo data exists once.
 * Five runs, each on a new PostgreSQL database (the scale-out database: several instances share it); the
 * race used to kill one instance in 3 of 5 runs. A SQLite file belongs to one instance.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDb } from "~/server/db/client";
import { DEMO_PROMPTS, DEMO_USER, DEMO_WORKSPACE } from "~/prisma/seed";
import { createEmptyDatabase, postgresUnavailable } from "../helpers/databases";

function seedProcess(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "prisma/seed.ts"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: mkdtempSync(join(tmpdir(), "cb-race-")) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

for (const provider of ["postgresql"] as const) {
  describe.skipIf(postgresUnavailable !== null)(`start race [${provider}]`, () => {
    it("migrate + seed in two processes started together succeed in both, 5 runs", { timeout: 180_000 }, async () => {
      for (let run = 1; run <= 5; run += 1) {
        const database = await createEmptyDatabase(provider);
        try {
          const results = await Promise.all([seedProcess(database.url), seedProcess(database.url)]);
          for (const r of results) expect(r.code, `run ${run}:\n${r.output}`).toBe(0);
          const db = createDb(database.url);
          try {
            expect(await db.user.count({ where: { email: DEMO_USER.email } })).toBe(1);
            const ws = await db.workspace.findUniqueOrThrow({ where: { slug: DEMO_WORKSPACE.slug } });
            expect(await db.job.count({ where: { workspaceId: ws.id } })).toBe(DEMO_PROMPTS.length);
            const user = await db.user.findUniqueOrThrow({ where: { email: DEMO_USER.email } });
            expect(await db.workspace.count({ where: { personalForUserId: user.id } })).toBe(1);
          } finally {
            await db.$disconnect();
          }
        } finally {
          await database.drop();
        }
      }
    });
  });
}

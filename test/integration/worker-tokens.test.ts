/**
 * Worker tokens and the fleet, as site admins (ADMIN_EMAILS) see them: create (the secret shown once,
 * only its digest kept), list, revoke; the workers table. Everyone else: FORBIDDEN (matrix.test.ts).
 */
process.env.ADMIN_EMAILS = "Root@Example.test, other-admin@example.test";

import { expect, it } from "vitest";
import { createHash } from "node:crypto";
import { authenticateWorker } from "~/server/jobs/worker-tokens";
import { announceModels, claimForWorker, ZClaimRequestSchema } from "~/server/jobs/worker-protocol";
import { describeEachDatabase } from "./helpers/databases";
import { callerFor, seedUser, seedWorkspace } from "./helpers/seed";

const bearer = (token: string) => new Request("http://x/", { headers: { authorization: `Bearer ${token}` } });

describeEachDatabase("worker tokens", (database) => {
  it("a site admin creates a named token (shown once, stored hashed), sees its workers, revokes it → 401", async () => {
    const { db } = database();
    const root = await db.user.create({ data: { email: "root@example.test", name: "Root" } });
    const admin = callerFor(db, root);
    const created = await admin.worker.createToken({ name: "lab gpu 1" });
    expect(created.token).toMatch(/^cbw_[A-Za-z0-9_-]{40,}$/);
    const row = await db.workerToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.hash).toBe(createHash("sha256").update(created.token).digest("hex"));
    expect(JSON.stringify(await admin.worker.tokens())).not.toContain(created.token);

    const identity = await authenticateWorker(db, bearer(created.token));
    expect(identity).toEqual({ tokenId: created.id });
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    await announceModels(db, [{ id: "fleet-model", description: "", nLayers: 1, maxTokens: 8 }]);
    const { id: jobId } = await callerFor(db, owner).job.generate({
      slug: ws.slug,
      modelId: "fleet-model",
      prompt: "x",
    });
    await claimForWorker(
      db,
      identity,
      ZClaimRequestSchema.parse({ workerId: "gpu-1", models: [{ id: "fleet-model" }], device: "onnx/cuda" }),
    );
    expect(await admin.worker.list()).toEqual([
      expect.objectContaining({
        id: "gpu-1",
        tokenName: "lab gpu 1",
        device: "onnx/cuda",
        models: ["fleet-model"],
        isOnline: true,
        currentJob: expect.objectContaining({ id: jobId, kind: "attribute" }),
      }),
    ]);

    await admin.worker.revokeToken({ tokenId: created.id });
    await expect(authenticateWorker(db, bearer(created.token))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await admin.worker.tokens())[0]!.revokedAt).not.toBeNull();
    expect((await admin.worker.list())[0]!.isTokenRevoked).toBe(true);
    await expect(admin.worker.revokeToken({ tokenId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(admin.worker.createToken({ name: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^name:/),
    });
    // Not an admin: refused, and nothing created.
    await expect(callerFor(db, owner).worker.createToken({ name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.workerToken.count()).toBe(1);
  });
});

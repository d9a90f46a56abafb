/**
 * The authorization matrix: EVERY tRPC procedure × every kind of caller (owner, admin, editor, viewer,
 * a signed-in non-member, signed out) → allowed, or the exact refusal. A procedure added to the router
 * without a row here fails the first test, so nothing slips through. Refused calls must leave the
 * workspace, its members and invitations unchanged.
 */
process.env.JOB_PREVIEW_WAIT_MS = "50"; // job.preview finds no worker here: answer "busy" at once

import { expect, it } from "vitest";
import type { Role } from "~/server/authz/roles";
import type { Db } from "~/server/db/client";
import type { SessionUser } from "~/server/services/auth/users";
import { appRouter } from "~/server/trpc/root";
import { featureDashboardResponse } from "~/server/http/feature-dashboard-route";
import { encodeDashboardRecord } from "~/server/services/feature-dashboards/dashboard-record";
import { announceModels } from "~/server/jobs/worker-protocol";
import { importGraph } from "~/server/services/graphs";
import { issueEmailToken } from "~/server/services/auth/email-tokens";
import { hashPassword } from "~/server/services/auth/password";
import { describeEachDatabase } from "../helpers/databases";
import { codeOf } from "../helpers/outcome";
import { SMALL_GRAPH } from "../helpers/fixtures";
import { callerFor, seedUser, seedWorkspace, testStore, uniq } from "../helpers/seed";

const CALLERS = ["owner", "admin", "editor", "viewer", "outsider", "anonymous"] as const;
type CallerKind = (typeof CALLERS)[number];
type Outcome = "OK" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND";

interface World {
  db: Db;
  users: Record<Exclude<CallerKind, "anonymous">, SessionUser> & { target: SessionUser; coOwner: SessionUser };
  slug: string;
  workspaceId: string;
  invitationId: string;
  linkToken: string;
  outsiderInvitationId: string;
  ownerKeyId: string;
  /** A verification link of a fresh unverified user, and a reset link of `target`. */
  verifyToken: string;
  resetToken: string;
  graphId: string;
  subgraphId: string;
  jobId: string;
  interventionId: string;
  /** A thread started by `target` (a viewer) on a node, with a reply by `viewer`. */
  threadId: string;
  viewerCommentId: string;
  resolvedThreadId: string;
  notificationId: string;
  /** A model with one imported feature dashboard (layer 0, feature 1 of "matrix-set"). */
  dashboardModelId: string;
  /** A feature of the graph, and a label on it in the workspace's scope (proposed by `target`). */
  feature: { modelId: string; transcoderSetId: string; layer: number; index: number };
  labelId: string;
  /** A case study with one step on graphId, published (version 1) visible to the workspace only. */
  caseStudyId: string;
  caseStudyStepId: string;
  caseStudySlug: string;
}

type Api = ReturnType<typeof callerFor>;

/** Expected outcome for a workspace action whose minimum role is `min`. */
function workspaceRule(min: Role): Record<CallerKind, Outcome> {
  const order: Role[] = ["viewer", "editor", "admin", "owner"];
  const ok = (r: Role) => (order.indexOf(r) >= order.indexOf(min) ? "OK" : "FORBIDDEN");
  return {
    owner: ok("owner"),
    admin: ok("admin"),
    editor: ok("editor"),
    viewer: ok("viewer"),
    outsider: "NOT_FOUND",
    anonymous: "UNAUTHORIZED",
  };
}
const SIGNED_IN: Record<CallerKind, Outcome> = {
  owner: "OK",
  admin: "OK",
  editor: "OK",
  viewer: "OK",
  outsider: "OK",
  anonymous: "UNAUTHORIZED",
};
/** Reading a private graph: members only; everyone else is told it does not exist. */
const PRIVATE_GRAPH_READ: Record<CallerKind, Outcome> = {
  owner: "OK",
  admin: "OK",
  editor: "OK",
  viewer: "OK",
  outsider: "NOT_FOUND",
  anonymous: "NOT_FOUND",
};
/** Site admins (ADMIN_EMAILS) only: no caller here is one (their access: worker-tokens.test.ts). */
const SITE_ADMIN: Record<CallerKind, Outcome> = {
  owner: "FORBIDDEN",
  admin: "FORBIDDEN",
  editor: "FORBIDDEN",
  viewer: "FORBIDDEN",
  outsider: "FORBIDDEN",
  anonymous: "UNAUTHORIZED",
};
const ANYONE: Record<CallerKind, Outcome> = {
  owner: "OK",
  admin: "OK",
  editor: "OK",
  viewer: "OK",
  outsider: "OK",
  anonymous: "OK",
};

const MATRIX: Record<string, { expect: Record<CallerKind, Outcome>; call: (api: Api, w: World) => Promise<unknown> }> =
  {
    "auth.signUp": {
      expect: ANYONE,
      call: (api) => api.auth.signUp({ email: `${uniq("su")}@example.test`, name: "New", password: "long enough pw" }),
    },
    "auth.verifyEmail": { expect: ANYONE, call: (api, w) => api.auth.verifyEmail({ token: w.verifyToken }) },
    "auth.requestPasswordReset": {
      expect: ANYONE,
      call: (api, w) => api.auth.requestPasswordReset({ email: w.users.target.email }),
    },
    "auth.resetPassword": {
      expect: ANYONE,
      call: (api, w) => api.auth.resetPassword({ token: w.resetToken, password: "a fresh reset passphrase" }),
    },
    "account.me": { expect: SIGNED_IN, call: (api) => api.account.me() },
    "account.resendVerification": { expect: SIGNED_IN, call: (api) => api.account.resendVerification() },
    "account.changePassword": {
      expect: SIGNED_IN,
      call: (api) =>
        api.account.changePassword({ currentPassword: WORLD_PASSWORD, newPassword: "a brand new passphrase" }),
    },
    "account.signOutEverywhere": { expect: SIGNED_IN, call: (api) => api.account.signOutEverywhere() },
    "apiKey.list": { expect: SIGNED_IN, call: (api) => api.apiKey.list() },
    "apiKey.create": { expect: SIGNED_IN, call: (api) => api.apiKey.create({ name: "k" }) },
    "apiKey.revoke": {
      expect: {
        owner: "OK",
        admin: "NOT_FOUND",
        editor: "NOT_FOUND",
        viewer: "NOT_FOUND",
        outsider: "NOT_FOUND",
        anonymous: "UNAUTHORIZED",
      },
      call: (api, w) => api.apiKey.revoke({ keyId: w.ownerKeyId }),
    },
    "workspace.list": { expect: SIGNED_IN, call: (api) => api.workspace.list() },
    "workspace.create": { expect: SIGNED_IN, call: (api) => api.workspace.create({ name: "Another" }) },
    "workspace.get": { expect: workspaceRule("viewer"), call: (api, w) => api.workspace.get({ slug: w.slug }) },
    "workspace.rename": {
      expect: workspaceRule("admin"),
      call: (api, w) => api.workspace.rename({ slug: w.slug, name: "Renamed" }),
    },
    "workspace.delete": {
      expect: workspaceRule("owner"),
      call: (api, w) => api.workspace.delete({ slug: w.slug, confirmSlug: w.slug }),
    },
    "workspace.leave": { expect: workspaceRule("viewer"), call: (api, w) => api.workspace.leave({ slug: w.slug }) },
    "member.list": { expect: workspaceRule("viewer"), call: (api, w) => api.member.list({ slug: w.slug }) },
    "member.changeRole": {
      expect: workspaceRule("admin"),
      call: (api, w) => api.member.changeRole({ slug: w.slug, userId: w.users.target.id, role: "editor" }),
    },
    "member.remove": {
      expect: workspaceRule("admin"),
      call: (api, w) => api.member.remove({ slug: w.slug, userId: w.users.target.id }),
    },
    "invitation.list": { expect: workspaceRule("admin"), call: (api, w) => api.invitation.list({ slug: w.slug }) },
    "invitation.create": {
      expect: workspaceRule("admin"),
      call: (api, w) => api.invitation.create({ slug: w.slug, role: "viewer" }),
    },
    "invitation.revoke": {
      expect: workspaceRule("admin"),
      call: (api, w) => api.invitation.revoke({ slug: w.slug, invitationId: w.invitationId }),
    },
    "invitation.preview": { expect: ANYONE, call: (api, w) => api.invitation.preview({ token: w.linkToken }) },
    "invitation.accept": { expect: SIGNED_IN, call: (api, w) => api.invitation.accept({ token: w.linkToken }) },
    "invitation.mine": { expect: SIGNED_IN, call: (api) => api.invitation.mine() },
    "invitation.acceptMine": {
      expect: {
        owner: "NOT_FOUND",
        admin: "NOT_FOUND",
        editor: "NOT_FOUND",
        viewer: "NOT_FOUND",
        outsider: "OK",
        anonymous: "UNAUTHORIZED",
      },
      call: (api, w) => api.invitation.acceptMine({ invitationId: w.outsiderInvitationId }),
    },
    "graph.explore": { expect: ANYONE, call: (api) => api.graph.explore({}) },
    "graph.list": { expect: workspaceRule("viewer"), call: (api, w) => api.graph.list({ slug: w.slug }) },
    "graph.get": { expect: PRIVATE_GRAPH_READ, call: (api, w) => api.graph.get({ graphId: w.graphId }) },
    "graph.update": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.graph.update({ graphId: w.graphId, title: "Retitled" }),
    },
    "graph.delete": { expect: workspaceRule("editor"), call: (api, w) => api.graph.delete({ graphId: w.graphId }) },
    "subgraph.list": { expect: PRIVATE_GRAPH_READ, call: (api, w) => api.subgraph.list({ graphId: w.graphId }) },
    "subgraph.get": { expect: PRIVATE_GRAPH_READ, call: (api, w) => api.subgraph.get({ subgraphId: w.subgraphId }) },
    "subgraph.create": {
      expect: workspaceRule("editor"),
      call: (api, w) =>
        api.subgraph.create({ graphId: w.graphId, name: "view", state: { pinnedIds: ["27_22605_10"] } as never }),
    },
    "subgraph.delete": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.subgraph.delete({ subgraphId: w.subgraphId }),
    },
    "job.models": { expect: SIGNED_IN, call: (api) => api.job.models() },
    "job.generate": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.job.generate({ slug: w.slug, modelId: "matrix-model", prompt: "The capital of France is" }),
    },
    "job.get": { expect: workspaceRule("viewer"), call: (api, w) => api.job.get({ jobId: w.jobId }) },
    "job.list": { expect: workspaceRule("viewer"), call: (api, w) => api.job.list({ slug: w.slug }) },
    "job.cancel": { expect: workspaceRule("editor"), call: (api, w) => api.job.cancel({ jobId: w.jobId }) },
    "job.tokenize": {
      expect: SIGNED_IN,
      call: (api) => api.job.tokenize({ modelId: "matrix-model", prompt: "The capital of France is" }),
    },
    "job.preview": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.job.preview({ slug: w.slug, modelId: "matrix-model", prompt: "The capital of France is" }),
    },
    "intervention.create": {
      expect: workspaceRule("editor"),
      call: (api, w) =>
        api.intervention.create({
          graphId: w.graphId,
          targets: [{ layer: 0, feature: 2, positions: [1] }],
          op: "ablate",
        }),
    },
    "intervention.list": {
      expect: PRIVATE_GRAPH_READ,
      call: (api, w) => api.intervention.list({ graphId: w.graphId }),
    },
    "intervention.get": {
      expect: PRIVATE_GRAPH_READ,
      call: (api, w) => api.intervention.get({ interventionId: w.interventionId }),
    },
    "worker.list": { expect: SITE_ADMIN, call: (api) => api.worker.list() },
    "worker.tokens": { expect: SITE_ADMIN, call: (api) => api.worker.tokens() },
    "worker.createToken": { expect: SITE_ADMIN, call: (api) => api.worker.createToken({ name: "gpu-1" }) },
    "worker.revokeToken": { expect: SITE_ADMIN, call: (api) => api.worker.revokeToken({ tokenId: "any" }) },
    "comment.list": { expect: workspaceRule("viewer"), call: (api, w) => api.comment.list({ graphId: w.graphId }) },
    "comment.summary": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.comment.summary({ graphId: w.graphId }),
    },
    "comment.get": { expect: workspaceRule("viewer"), call: (api, w) => api.comment.get({ threadId: w.threadId }) },
    "comment.history": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.comment.history({ commentId: w.viewerCommentId }),
    },
    "comment.mentionable": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.comment.mentionable({ graphId: w.graphId, query: "" }),
    },
    "comment.create": {
      expect: workspaceRule("viewer"),
      call: (api, w) =>
        api.comment.create({ graphId: w.graphId, anchor: { kind: "node", nodeId: "27_22605_10" }, body: "hello" }),
    },
    "comment.reply": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.comment.reply({ threadId: w.threadId, body: "a reply" }),
    },
    // Only the author edits (the viewer wrote this comment).
    "comment.edit": {
      expect: {
        owner: "FORBIDDEN",
        admin: "FORBIDDEN",
        editor: "FORBIDDEN",
        viewer: "OK",
        outsider: "NOT_FOUND",
        anonymous: "UNAUTHORIZED",
      },
      call: (api, w) => api.comment.edit({ commentId: w.viewerCommentId, body: "edited" }),
    },
    // The author, or admins+ for anyone's comment.
    "comment.delete": {
      expect: {
        owner: "OK",
        admin: "OK",
        editor: "FORBIDDEN",
        viewer: "OK",
        outsider: "NOT_FOUND",
        anonymous: "UNAUTHORIZED",
      },
      call: (api, w) => api.comment.delete({ commentId: w.viewerCommentId }),
    },
    // Editors+ resolve any thread (this one was started by another viewer).
    "comment.resolve": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.comment.resolve({ threadId: w.threadId }),
    },
    "comment.reopen": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.comment.reopen({ threadId: w.resolvedThreadId }),
    },
    "comment.react": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.comment.react({ commentId: w.viewerCommentId, emoji: "👍" }),
    },
    "notification.list": { expect: SIGNED_IN, call: (api) => api.notification.list({}) },
    "notification.unreadCount": { expect: SIGNED_IN, call: (api) => api.notification.unreadCount() },
    // Someone else's notification id: accepted, and changes nothing that is not yours.
    "notification.markRead": {
      expect: SIGNED_IN,
      call: (api, w) => api.notification.markRead({ notificationIds: [w.notificationId] }),
    },
    "notification.markAllRead": { expect: SIGNED_IN, call: (api) => api.notification.markAllRead() },
    "notification.preferences": { expect: SIGNED_IN, call: (api) => api.notification.preferences() },
    "notification.updatePreferences": {
      expect: SIGNED_IN,
      call: (api) => api.notification.updatePreferences({ emailReplies: false }),
    },
    "notification.isGraphMuted": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.notification.isGraphMuted({ graphId: w.graphId }),
    },
    "notification.muteGraph": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.notification.muteGraph({ graphId: w.graphId, isMuted: true }),
    },
    "activity.workspace": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.activity.workspace({ slug: w.slug }),
    },
    "activity.forYou": { expect: SIGNED_IN, call: (api) => api.activity.forYou({}) },
    // Dashboards are model-level: importing them writes what every user sees (site admins only).
    "featureDashboard.import": {
      expect: SITE_ADMIN,
      call: (api) =>
        api.featureDashboard.import({
          modelId: "matrix-model",
          transcoderSetId: "matrix-set",
          layer: 0,
          features: [{ index: 1, examples_quantiles: [] }],
        }),
    },
    // Labels (server/authz/label-access.ts): reading features spans scopes, so any signed-in user may ask and
    // gets what their reach holds (labels.test.ts checks that an outsider gets none of the workspace's).
    "label.list": { expect: SIGNED_IN, call: (api, w) => api.label.list({ feature: w.feature }) },
    "label.graphs": { expect: SIGNED_IN, call: (api, w) => api.label.graphs({ feature: w.feature }) },
    "label.search": { expect: SIGNED_IN, call: (api) => api.label.search({ query: "cats" }) },
    "label.propose": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.label.propose({ feature: w.feature, text: "a new label", slug: w.slug }),
    },
    "label.vote": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.label.vote({ labelId: w.labelId, value: 1 }),
    },
    "label.hide": {
      expect: workspaceRule("admin"),
      call: (api, w) => api.label.hide({ labelId: w.labelId, isHidden: true }),
    },
    "label.shownForGraph": {
      expect: PRIVATE_GRAPH_READ,
      call: (api, w) => api.label.shownForGraph({ graphId: w.graphId }),
    },
    "label.queue": { expect: workspaceRule("viewer"), call: (api, w) => api.label.queue({ slug: w.slug }) },
    "label.contributions": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.label.contributions({ slug: w.slug }),
    },
    "caseStudy.list": { expect: workspaceRule("viewer"), call: (api, w) => api.caseStudy.list({ slug: w.slug }) },
    "caseStudy.create": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.caseStudy.create({ slug: w.slug, title: "Another study" }),
    },
    "caseStudy.get": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.caseStudy.get({ caseStudyId: w.caseStudyId }),
    },
    "caseStudy.update": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.caseStudy.update({ caseStudyId: w.caseStudyId, title: "Renamed", visibility: "public" }),
    },
    "caseStudy.delete": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.caseStudy.delete({ caseStudyId: w.caseStudyId }),
    },
    "caseStudy.addStep": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.caseStudy.addStep({ caseStudyId: w.caseStudyId, graphId: w.graphId, prose: "Next" }),
    },
    "caseStudy.updateStep": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.caseStudy.updateStep({ stepId: w.caseStudyStepId, prose: "Edited" }),
    },
    "caseStudy.moveStep": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.caseStudy.moveStep({ stepId: w.caseStudyStepId, toIndex: 1 }),
    },
    "caseStudy.duplicateStep": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.caseStudy.duplicateStep({ stepId: w.caseStudyStepId }),
    },
    "caseStudy.deleteStep": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.caseStudy.deleteStep({ stepId: w.caseStudyStepId }),
    },
    "caseStudy.publish": {
      expect: workspaceRule("editor"),
      call: (api, w) => api.caseStudy.publish({ caseStudyId: w.caseStudyId, isConfirmed: true }),
    },
    "caseStudy.versions": {
      expect: workspaceRule("viewer"),
      call: (api, w) => api.caseStudy.versions({ caseStudyId: w.caseStudyId }),
    },
    // A version published to the workspace only: members read it; everyone else is told it does not exist.
    // (Unlisted and public versions are read by anyone: test/integration/case-studies.test.ts.)
    "caseStudy.read": { expect: PRIVATE_GRAPH_READ, call: (api, w) => api.caseStudy.read({ slug: w.caseStudySlug }) },
    "caseStudy.explore": { expect: ANYONE, call: (api) => api.caseStudy.explore({}) },
  };

/**
 * The plain routes that read through server/authz, by the same callers: the feature dashboard route
 * (server/http/feature-dashboard-route.ts) answers any signed-in user, whatever their workspaces.
 */
const ROUTE_MATRIX: Record<
  string,
  { expect: Record<CallerKind, Outcome>; call: (user: SessionUser | null, w: World) => Promise<unknown> }
> = {
  "GET /api/feature-dashboard": {
    expect: SIGNED_IN,
    call: async (user, w) => {
      const res = await featureDashboardResponse(
        new Request(`http://app.test/api/feature-dashboard?model=${w.dashboardModelId}&set=matrix-set&layer=0&index=1`),
        { db: w.db, store: testStore, user },
      );
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      return res;
    },
  },
};

const WORLD_PASSWORD = "matrix world passphrase";
const WORLD_PASSWORD_HASH = await hashPassword(WORLD_PASSWORD);

const FIXTURE = SMALL_GRAPH;

async function buildWorld(db: Db): Promise<World> {
  const names = ["owner", "coOwner", "admin", "editor", "viewer", "target", "outsider"] as const;
  const users = Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await seedUser(db, uniq(n))])),
  ) as World["users"];
  const ws = await seedWorkspace(db, {
    owner: { user: users.owner, role: "owner" },
    // A second owner, so that "owner leaves" tests the permission rather than the last-owner rule.
    coOwner: { user: users.coOwner, role: "owner" },
    admin: { user: users.admin, role: "admin" },
    editor: { user: users.editor, role: "editor" },
    viewer: { user: users.viewer, role: "viewer" },
    target: { user: users.target, role: "viewer" },
  });
  // Every caller has one known password (hashed once for the whole file: Argon2 is slow on purpose).
  await db.user.updateMany({
    where: { id: { in: Object.values(users).map((u) => u.id) } },
    data: { passwordHash: WORLD_PASSWORD_HASH },
  });
  const unverified = await seedUser(db, uniq("unverified"), { isEmailVerified: false });
  const hour = 3600_000;
  const verifyToken = await issueEmailToken(db, {
    userId: unverified.id,
    email: unverified.email,
    purpose: "verify",
    ttlMs: hour,
  });
  const resetToken = await issueEmailToken(db, {
    userId: users.target.id,
    email: users.target.email,
    purpose: "reset",
    ttlMs: hour,
  });
  const ownerApi = callerFor(db, users.owner);
  const link = await ownerApi.invitation.create({ slug: ws.slug, role: "viewer" });
  const forOutsider = await ownerApi.invitation.create({ slug: ws.slug, role: "viewer", email: users.outsider.email });
  const key = await ownerApi.apiKey.create({ name: "owner key" });
  // Compressed before the world is used: background work must not change rows between the snapshots.
  const graph = await importGraph(db, testStore, {
    actor: users.owner,
    slug: ws.slug,
    body: FIXTURE,
    maxBytes: 1e8,
    compression: "inline",
    // The demo graph's metadata names no model (its scan is a path): say which, as a worker's upload does.
    announced: { modelId: "matrix-graph-model" },
  });
  const subgraph = await ownerApi.subgraph.create({
    graphId: graph.id,
    name: "saved",
    state: { pinnedIds: [] } as never,
  });
  const { modelId: graphModel } = await db.graph.findUniqueOrThrow({ where: { id: graph.id } });
  await announceModels(db, [
    { id: "matrix-model", description: "", nLayers: 2, maxTokens: 64 },
    { id: graphModel || "unnamed", description: "", nLayers: 2, maxTokens: 64 },
  ]);
  const job = await ownerApi.job.generate({ slug: ws.slug, modelId: "matrix-model", prompt: "Hello" });
  const intervention = await ownerApi.intervention.create({
    graphId: graph.id,
    targets: [{ layer: 0, feature: 1, positions: null }],
    op: "ablate",
  });
  const thread = await callerFor(db, users.target).comment.create({
    graphId: graph.id,
    anchor: { kind: "node", nodeId: "27_22605_10" },
    body: "What does this feature do?",
  });
  const reply = await callerFor(db, users.viewer).comment.reply({ threadId: thread.id, body: "It reads *cats*" });
  const resolved = await callerFor(db, users.target).comment.create({
    graphId: graph.id,
    anchor: { kind: "graph" },
    body: "Done",
  });
  await ownerApi.comment.resolve({ threadId: resolved.id });
  const notification = await db.notification.findFirstOrThrow({ where: { userId: users.target.id } });
  const dashboardModelId = uniq("matrix-dash");
  const dashboardSet = await db.featureDashboardSet.create({
    data: { id: uniq("np"), modelId: dashboardModelId, transcoderSetId: "matrix-set", source: "neuronpedia" },
  });
  const record = await encodeDashboardRecord(JSON.stringify({ index: 1, examples_quantiles: [] }));
  await testStore.put(`dashboards/${dashboardSet.id}/imported/0_1.bin`, record);
  await db.importedFeatureDashboard.create({
    data: {
      setId: dashboardSet.id,
      layer: 0,
      feature: 1,
      blobKey: `dashboards/${dashboardSet.id}/imported/0_1.bin`,
      sizeBytes: record.byteLength,
    },
  });
  const occurrence = await db.featureOccurrence.findFirstOrThrow({ where: { graphId: graph.id } });
  const feature = {
    modelId: occurrence.modelId,
    transcoderSetId: occurrence.transcoderSetId,
    layer: occurrence.layer,
    index: occurrence.index,
  };
  const label = await callerFor(db, users.target).label.propose({ feature, text: "reads cats", slug: ws.slug });
  const study = await ownerApi.caseStudy.create({ slug: ws.slug, title: "Matrix study" });
  const step = await ownerApi.caseStudy.addStep({ caseStudyId: study.id, graphId: graph.id, prose: "Look" });
  await ownerApi.caseStudy.publish({ caseStudyId: study.id, isConfirmed: true });
  return {
    dashboardModelId,
    db,
    users,
    slug: ws.slug,
    workspaceId: ws.id,
    invitationId: link.id,
    linkToken: link.token,
    outsiderInvitationId: forOutsider.id,
    ownerKeyId: key.id,
    verifyToken,
    resetToken,
    graphId: graph.id,
    subgraphId: subgraph.id,
    jobId: job.id,
    interventionId: intervention.id,
    threadId: thread.id,
    viewerCommentId: reply.comments.at(-1)!.id,
    resolvedThreadId: resolved.id,
    notificationId: notification.id,
    feature,
    labelId: label.id,
    caseStudyId: study.id,
    caseStudyStepId: step.id,
    caseStudySlug: study.slug,
  };
}

async function stateOf(w: World) {
  const [
    workspace,
    members,
    invitations,
    keys,
    graphs,
    subgraphs,
    jobs,
    threads,
    notifications,
    mutes,
    labels,
    studies,
  ] = await Promise.all([
    w.db.workspace.findUnique({ where: { id: w.workspaceId } }),
    w.db.membership.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { userId: "asc" } }),
    w.db.invitation.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { id: "asc" } }),
    w.db.apiKey.findMany({ where: { id: w.ownerKeyId } }),
    w.db.graph.findMany({ where: { workspaceId: w.workspaceId } }),
    w.db.subgraph.findMany({ where: { graphId: w.graphId } }),
    w.db.job.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { id: "asc" } }),
    w.db.commentThread.findMany({
      where: { workspaceId: w.workspaceId },
      orderBy: { id: "asc" },
      include: { comments: { orderBy: { id: "asc" }, include: { reactions: true, revisions: true } } },
    }),
    w.db.notification.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { id: "asc" } }),
    w.db.graphMute.findMany({ where: { graphId: w.graphId }, orderBy: { userId: "asc" } }),
    w.db.label.findMany({ orderBy: { id: "asc" }, include: { votes: { orderBy: { id: "asc" } } } }),
    w.db.caseStudy.findMany({
      where: { workspaceId: w.workspaceId },
      orderBy: { id: "asc" },
      include: { steps: { orderBy: { id: "asc" } }, versions: { orderBy: { number: "asc" } } },
    }),
  ]);
  return {
    workspace,
    members,
    invitations,
    keys,
    graphs,
    subgraphs,
    jobs,
    threads,
    notifications,
    mutes,
    labels,
    studies,
  };
}

function listProcedures(): string[] {
  return Object.keys(
    (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
  ).sort();
}

describeEachDatabase("authorization matrix", (database) => {
  it("covers every procedure of the router", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(listProcedures());
  });

  for (const [path, row] of Object.entries(MATRIX)) {
    for (const caller of CALLERS) {
      const expected = row.expect[caller];
      it(`${path} as ${caller} → ${expected}`, async () => {
        const world = await buildWorld(database().db);
        const user = caller === "anonymous" ? null : world.users[caller];
        const before = expected === "OK" ? null : await stateOf(world);
        expect(await codeOf(row.call(callerFor(world.db, user), world))).toBe(expected);
        if (before) expect(await stateOf(world)).toEqual(before);
      });
    }
  }

  for (const [route, row] of Object.entries(ROUTE_MATRIX)) {
    for (const caller of CALLERS) {
      const expected = row.expect[caller];
      it(`${route} as ${caller} → ${expected}`, async () => {
        const world = await buildWorld(database().db);
        const user = caller === "anonymous" ? null : world.users[caller];
        expect(await codeOf(row.call(user, world))).toBe(expected);
      });
    }
  }
});

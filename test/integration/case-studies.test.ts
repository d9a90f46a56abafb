/**
 * Case studies through the real router on both databases: authoring (steps added, moved, duplicated,
 * deleted), publishing (the confirmation lists what becomes readable and writes nothing), and the
 * version-scoped capability, route by route: a signed-out reader of an unlisted study gets its version's
 * graphs and labels and nothing else of the workspace; edits after publication change nothing readers see
 * until republished; older versions stay readable by number; a deleted graph says so.
 */
import { expect, it } from "vitest";
import type { Db } from "~/server/db/client";
import type { SessionUser } from "~/server/services/auth/users";
import { importGraph, readGraphBody } from "~/server/services/graphs";
import {
  readCaseStudyCover,
  readCaseStudyGraphBody,
  readPublishedCaseStudy,
} from "~/server/services/case-studies/reader";
import { describeEachDatabase } from "./helpers/databases";
import { CARRIED, readCarried } from "./helpers/fixtures";
import { codeOf } from "./helpers/outcome";
import { callerFor, seedUser, seedWorkspace, testStore } from "./helpers/seed";

const VIEW = (pinnedIds: string[], clickedId: string, camera = { x: 0.4, y: 0.6, ratio: 0.5 }) => ({
  state: {
    pinnedIds,
    clickedId,
    clerps: [["0_378", "first-layer feature"]] as [string, string][],
    linkType: "both" as const,
  },
  camera,
  linkMode: "",
});

async function world(db: Db) {
  const [owner, editor, viewer, outsider] = await Promise.all(["o", "e", "v", "x"].map(() => seedUser(db)));
  const ws = await seedWorkspace(db, {
    owner: { user: owner!, role: "owner" },
    editor: { user: editor!, role: "editor" },
    viewer: { user: viewer!, role: "viewer" },
  });
  const graph = (name: string) =>
    importGraph(db, testStore, {
      actor: owner!,
      slug: ws.slug,
      body: readCarried(name),
      maxBytes: 1e8,
      visibility: "private",
      compression: "inline",
    });
  const [begat, genesis, other] = [
    await graph(CARRIED.demoBegat),
    await graph(CARRIED.demoGenesis),
    await graph(CARRIED.demoGenesis),
  ];
  const api = (u: SessionUser | null) => callerFor(db, u);
  await api(owner!).comment.create({ graphId: begat.id, anchor: { kind: "graph" }, body: "secret" });
  const study = await api(editor!).caseStudy.create({ slug: ws.slug, title: "Induction in begat" });
  await api(editor!).caseStudy.addStep({
    caseStudyId: study.id,
    graphId: begat.id,
    prose: "The **induction** feature",
    view: VIEW(["0_378_5"], "0_378_5"),
  });
  await api(editor!).caseStudy.addStep({
    caseStudyId: study.id,
    graphId: genesis.id,
    prose: "The counterfactual",
    view: VIEW([], "", { x: 0.5, y: 0.5, ratio: 1 }),
  });
  await api(editor!).caseStudy.update({ caseStudyId: study.id, visibility: "unlisted" });
  return { db, ws, owner: owner!, editor: editor!, viewer: viewer!, outsider: outsider!, begat, genesis, other };
}

describeEachDatabase("case studies", (database) => {
  it("authoring: steps are added, moved by index, duplicated after themselves and deleted, in order", async () => {
    const w = await world(database().db);
    const api = callerFor(w.db, w.editor);
    const [study] = await api.caseStudy.list({ slug: w.ws.slug });
    const draft = await api.caseStudy.get({ caseStudyId: study!.id });
    expect(draft.steps.map((s) => s.prose)).toEqual(["The **induction** feature", "The counterfactual"]);
    expect(draft.steps[0]!.proseHtml).toContain("<strong>induction</strong>");
    expect(draft.steps[0]!.view.camera).toEqual({ x: 0.4, y: 0.6, ratio: 0.5 });
    await api.caseStudy.moveStep({ stepId: draft.steps[1]!.id, toIndex: 0 });
    await api.caseStudy.duplicateStep({ stepId: draft.steps[1]!.id });
    let after = await api.caseStudy.get({ caseStudyId: study!.id });
    expect(after.steps.map((s) => s.prose)).toEqual([
      "The counterfactual",
      "The counterfactual",
      "The **induction** feature",
    ]);
    expect(after.steps.map((s) => s.position)).toEqual([0, 1, 2]);
    await api.caseStudy.deleteStep({ stepId: after.steps[0]!.id });
    after = await api.caseStudy.get({ caseStudyId: study!.id });
    expect(after.steps.map((s) => s.position)).toEqual([0, 1]);
    // A step shows a graph of the study's own workspace only.
    const elsewhere = await callerFor(w.db, w.outsider).workspace.create({ name: "Elsewhere" });
    const foreign = await importGraph(w.db, testStore, {
      actor: w.outsider,
      slug: elsewhere.slug,
      body: readCarried(CARRIED.demoGenesis),
      maxBytes: 1e8,
      visibility: "public",
      compression: "inline",
    });
    expect(await codeOf(api.caseStudy.addStep({ caseStudyId: study!.id, graphId: foreign.id }))).toBe("BAD_REQUEST");
    // The viewer role reads drafts but does not write them.
    expect(await codeOf(callerFor(w.db, w.viewer).caseStudy.get({ caseStudyId: study!.id }))).toBe("OK");
    expect(await codeOf(callerFor(w.db, w.viewer).caseStudy.deleteStep({ stepId: after.steps[0]!.id }))).toBe(
      "FORBIDDEN",
    );
  });

  it("publishing lists the graphs and labels that become readable, and writes nothing until confirmed", async () => {
    const w = await world(database().db);
    const api = callerFor(w.db, w.editor);
    const [study] = await api.caseStudy.list({ slug: w.ws.slug });
    const preview = await api.caseStudy.publish({ caseStudyId: study!.id });
    expect(preview.isPublished).toBe(false);
    expect(preview.readable.graphs.map((g) => g.id)).toEqual([w.begat.id, w.genesis.id]);
    expect(preview.readable.labels[0]!.labels["0_378"]).toBe("first-layer feature");
    expect(Object.keys(preview.readable.labels[0]!.labels).length).toBeGreaterThan(1); // the file's own labels too
    expect(await api.caseStudy.versions({ caseStudyId: study!.id })).toEqual([]);
    const published = await api.caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true });
    expect(published).toMatchObject({ isPublished: true, number: 1 });
    const activity = await callerFor(w.db, w.viewer).activity.workspace({ slug: w.ws.slug });
    expect(activity.items[0]).toMatchObject({ type: "casestudy.published", caseStudyTitle: "Induction in begat" });
  });

  it("a signed-out reader gets the version's graphs and labels, nothing else of the workspace (route by route)", async () => {
    const w = await world(database().db);
    const [study] = await callerFor(w.db, w.editor).caseStudy.list({ slug: w.ws.slug });
    await callerFor(w.db, w.editor).caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true });
    const anon = callerFor(w.db, null);
    const read = await anon.caseStudy.read({ slug: study!.slug });
    expect(read.steps.map((s) => s.graphId)).toEqual([w.begat.id, w.genesis.id]);
    expect(Object.keys(read.labels).sort()).toEqual([w.begat.id, w.genesis.id].sort());
    expect(JSON.stringify(read)).not.toContain("secret");
    // Bodies: the version's graphs through the capability route; any other graph of the workspace is absent.
    const body = (graphId: string, number = 1) =>
      codeOf(readCaseStudyGraphBody(w.db, testStore, { actor: null, slug: study!.slug, number, graphId }));
    expect(await body(w.begat.id)).toBe("OK");
    expect(await body(w.genesis.id)).toBe("OK");
    expect(await body(w.other.id)).toBe("NOT_FOUND");
    expect(await body(w.begat.id, 2)).toBe("NOT_FOUND"); // no such version
    // The graphs' own visibility is unchanged: their own routes still refuse.
    expect(await codeOf(readGraphBody(w.db, testStore, { actor: null, graphId: w.begat.id }))).toBe("NOT_FOUND");
    expect(await codeOf(anon.graph.get({ graphId: w.begat.id }))).toBe("NOT_FOUND");
    expect(await codeOf(anon.subgraph.list({ graphId: w.begat.id }))).toBe("NOT_FOUND");
    expect(await codeOf(anon.comment.list({ graphId: w.begat.id }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.member.list({ slug: w.ws.slug }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.caseStudy.get({ caseStudyId: study!.id }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.caseStudy.versions({ caseStudyId: study!.id }))).toBe("UNAUTHORIZED");
    // Signed in outside the workspace: the same, and the draft does not exist.
    const outsider = callerFor(w.db, w.outsider);
    expect(await codeOf(outsider.caseStudy.read({ slug: study!.slug }))).toBe("OK");
    expect(await codeOf(outsider.graph.get({ graphId: w.begat.id }))).toBe("NOT_FOUND");
    expect(await codeOf(outsider.comment.list({ graphId: w.begat.id }))).toBe("NOT_FOUND");
    expect(await codeOf(outsider.caseStudy.get({ caseStudyId: study!.id }))).toBe("NOT_FOUND");
    // Unlisted embeds; a workspace-only version neither reads signed out nor embeds.
    expect(await codeOf(readPublishedCaseStudy(w.db, { actor: null, slug: study!.slug, isEmbed: true }))).toBe("OK");
    await callerFor(w.db, w.editor).caseStudy.update({ caseStudyId: study!.id, visibility: "workspace" });
    await callerFor(w.db, w.editor).caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true });
    expect(await codeOf(anon.caseStudy.read({ slug: study!.slug }))).toBe("NOT_FOUND");
    expect(await codeOf(readPublishedCaseStudy(w.db, { actor: null, slug: study!.slug, isEmbed: true }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(callerFor(w.db, w.viewer).caseStudy.read({ slug: study!.slug }))).toBe("OK");
    expect(await codeOf(readPublishedCaseStudy(w.db, { actor: w.viewer, slug: study!.slug, isEmbed: true }))).toBe(
      "NOT_FOUND",
    );
    expect(await body(w.begat.id, 2)).toBe("NOT_FOUND");
    // Version 1 (unlisted) stays readable by number; the workspace-only version 2 is not even named to it.
    expect((await anon.caseStudy.read({ slug: study!.slug, number: 1 })).versions.map((v) => v.number)).toEqual([1]);
    expect(
      (await callerFor(w.db, w.viewer).caseStudy.read({ slug: study!.slug, number: 1 })).versions.map((v) => v.number),
    ).toEqual([2, 1]);
  });

  it("edits after publication change nothing readers see until republished; a deleted graph says so", async () => {
    const w = await world(database().db);
    const editor = callerFor(w.db, w.editor);
    const [study] = await editor.caseStudy.list({ slug: w.ws.slug });
    await editor.caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true });
    const anon = callerFor(w.db, null);
    const before = await anon.caseStudy.read({ slug: study!.slug });
    const draft = await editor.caseStudy.get({ caseStudyId: study!.id });
    await editor.caseStudy.update({ caseStudyId: study!.id, title: "Retitled", summary: "new" });
    await editor.caseStudy.updateStep({ stepId: draft.steps[0]!.id, prose: "rewritten", view: VIEW(["x"], "x") });
    await editor.caseStudy.addStep({ caseStudyId: study!.id, graphId: w.other.id, prose: "a third graph" });
    await w.db.graph.update({ where: { id: w.begat.id }, data: { title: "renamed graph" } });
    expect(await anon.caseStudy.read({ slug: study!.slug })).toEqual(before);
    expect(
      await codeOf(
        readCaseStudyGraphBody(w.db, testStore, { actor: null, slug: study!.slug, number: 1, graphId: w.other.id }),
      ),
    ).toBe("NOT_FOUND");
    expect((await editor.caseStudy.list({ slug: w.ws.slug }))[0]!.isDraftDirty).toBe(true);

    await editor.caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true });
    const after = await anon.caseStudy.read({ slug: study!.slug });
    expect(after).toMatchObject({ number: 2, title: "Retitled", summary: "new" });
    expect(after.steps.map((s) => s.graphId)).toEqual([w.begat.id, w.genesis.id, w.other.id]);
    expect(after.steps[0]!.view.state.pinnedIds).toEqual(["x"]);
    expect(
      await codeOf(
        readCaseStudyGraphBody(w.db, testStore, { actor: null, slug: study!.slug, number: 2, graphId: w.other.id }),
      ),
    ).toBe("OK");
    // Version 1 as it was (its list of versions now names version 2 too).
    expect(await anon.caseStudy.read({ slug: study!.slug, number: 1 })).toEqual({
      ...before,
      versions: [expect.objectContaining({ number: 2 }), ...before.versions],
    });
    expect((await editor.caseStudy.versions({ caseStudyId: study!.id })).map((v) => v.number)).toEqual([2, 1]);

    await callerFor(w.db, w.owner).graph.delete({ graphId: w.genesis.id });
    const gone = await anon.caseStudy.read({ slug: study!.slug });
    expect(gone.steps.map((s) => s.isGraphDeleted)).toEqual([false, true, false]);
    expect(
      await codeOf(
        readCaseStudyGraphBody(w.db, testStore, { actor: null, slug: study!.slug, number: 2, graphId: w.genesis.id }),
      ),
    ).toBe("NOT_FOUND");
    // Republishing with the deleted graph is refused, naming the step.
    expect(await codeOf(editor.caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true }))).toBe("BAD_REQUEST");
  });

  it("explore lists the latest version of public studies only", async () => {
    const w = await world(database().db);
    const editor = callerFor(w.db, w.editor);
    const [study] = await editor.caseStudy.list({ slug: w.ws.slug });
    await editor.caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true }); // unlisted
    const anon = callerFor(w.db, null);
    expect((await anon.caseStudy.explore({})).map((s) => s.slug)).not.toContain(study!.slug);
    await editor.caseStudy.update({ caseStudyId: study!.id, visibility: "public" });
    await editor.caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true });
    expect((await anon.caseStudy.explore({ query: "INDUCTION" })).map((s) => s.slug)).toContain(study!.slug);
    await editor.caseStudy.update({ caseStudyId: study!.id, visibility: "unlisted" });
    await editor.caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true });
    expect((await anon.caseStudy.explore({})).map((s) => s.slug)).not.toContain(study!.slug);
  });

  it("a step's preview PNG becomes the version's cover, read through the same capability", async () => {
    const w = await world(database().db);
    const editor = callerFor(w.db, w.editor);
    const [study] = await editor.caseStudy.list({ slug: w.ws.slug });
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    expect(
      await codeOf(editor.caseStudy.addStep({ caseStudyId: study!.id, preview: "data:text/html;base64,PHNjcmlwdD4=" })),
    ).toBe("BAD_REQUEST");
    const step = await editor.caseStudy.addStep({
      caseStudyId: study!.id,
      graphId: w.genesis.id,
      preview: `data:image/png;base64,${png.toString("base64")}`,
    });
    await editor.caseStudy.update({ caseStudyId: study!.id, coverStepId: step.id });
    await editor.caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true });
    const read = await callerFor(w.db, null).caseStudy.read({ slug: study!.slug });
    expect(read.hasCoverImage).toBe(true);
    expect(await readCaseStudyCover(w.db, { actor: null, slug: study!.slug, number: 1 })).toEqual(png);
    await editor.caseStudy.update({ caseStudyId: study!.id, visibility: "workspace" });
    await editor.caseStudy.publish({ caseStudyId: study!.id, isConfirmed: true });
    expect(await codeOf(readCaseStudyCover(w.db, { actor: null, slug: study!.slug, number: 2 }))).toBe("NOT_FOUND");
    expect(await codeOf(readCaseStudyCover(w.db, { actor: w.viewer, slug: study!.slug, number: 2 }))).toBe("OK");
  });
});

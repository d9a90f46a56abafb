/**
 * Live topics: what a stream may follow, and who may follow it. A topic is "<kind>:<id>". Each kind is
 * authorised by the SAME policy as the data it carries (server/authz), when the stream opens:
 *   graph:<graphId>         comments, resolves, badges, presence on one graph   workspace members (viewer+)
 *   workspace:<workspaceId> the workspace's activity (every event with that workspaceId)   viewer+
 *   user:<userId>           one user's notifications                               that user only
 *   job:<jobId>             a generation job's progress (ephemeral)               the job's workspace, viewer+
 * A kind added later (labels, case studies) gets a row in TOPIC_KINDS and an authoriser here.
 */
import { z } from "zod";
import { authorizeGraphDiscussion } from "../authz/comment-access";
import { authorizeWorkspace } from "../authz/workspace-access";
import type { Db } from "../db/client";
import { AppError } from "../errors";

export const TOPIC_KINDS = ["graph", "workspace", "user", "job"] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];
export type Topic = `${TopicKind}:${string}`;

/** How many topics one stream may follow (a tab follows a handful: its graph, its workspace, its user). */
export const MAX_TOPICS_PER_STREAM = 20;

export const ZTopicSchema = z
  .string()
  .max(100, "topic: at most 100 characters")
  .regex(/^(graph|workspace|user|job):[A-Za-z0-9_-]{1,80}$/, 'topic: expected "<graph|workspace|user|job>:<id>"')
  .transform((t) => t as Topic);

export const ZTopicListSchema = z
  .array(ZTopicSchema)
  .min(1, "topics: follow at least one topic")
  .max(MAX_TOPICS_PER_STREAM, `topics: at most ${MAX_TOPICS_PER_STREAM} per stream`);

export function topicOf(kind: TopicKind, id: string): Topic {
  return `${kind}:${id}`;
}

export function splitTopic(topic: Topic): { kind: TopicKind; id: string } {
  const at = topic.indexOf(":");
  return { kind: topic.slice(0, at) as TopicKind, id: topic.slice(at + 1) };
}

/** Throws the AppError the caller gets for following `topic` (UNAUTHORIZED, NOT_FOUND, FORBIDDEN); returns when allowed. */
export async function authorizeTopic(db: Db, userId: string | null, topic: Topic): Promise<void> {
  if (!userId) throw new AppError("UNAUTHORIZED", "Sign in first");
  const { kind, id } = splitTopic(topic);
  switch (kind) {
    case "graph":
      await authorizeGraphDiscussion(db, userId, { graphId: id }, "comment.read");
      return;
    case "workspace":
      await authorizeWorkspace(db, userId, { id }, "activity.read");
      return;
    case "user":
      if (id !== userId) throw new AppError("NOT_FOUND", `topic ${topic}: not found`);
      return;
    case "job": {
      const job = await db.job.findUnique({ where: { id }, select: { workspaceId: true } });
      if (!job) throw new AppError("NOT_FOUND", `topic ${topic}: not found`);
      await authorizeWorkspace(db, userId, { id: job.workspaceId }, "workspace.read");
      return;
    }
  }
}

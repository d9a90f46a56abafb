/** Loads a published case-study version for a page (404 for anything the caller may not read). */
import "server-only";
import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { anonymousServerApi, serverApi } from "~/app/_trpc/server";
import { appUrl } from "~/server/env";

export const loadStudy = cache(async (slug: string, number: number | undefined, isEmbed: boolean) => {
  const api = isEmbed ? await anonymousServerApi() : await serverApi();
  return api.caseStudy.read({ slug, ...(number !== undefined ? { number } : {}) }).catch((error: unknown) => {
    if (error instanceof TRPCError && ["NOT_FOUND", "BAD_REQUEST"].includes(error.code)) notFound();
    throw error;
  });
});

export function parseVersionNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) notFound();
  return n;
}

export function studyMetadata(study: Awaited<ReturnType<typeof loadStudy>>): Metadata {
  const description = study.summary.slice(0, 200) || `A case study in ${study.steps.length} steps`;
  return {
    title: `${study.title} · Circuitboard`,
    description,
    openGraph: {
      title: study.title,
      description,
      type: "article",
      // The cover view, captured from the sigma canvas in the author's browser (read through the capability).
      ...(study.hasCoverImage
        ? {
            images: [
              { url: appUrl(`/api/case-studies/${encodeURIComponent(study.slug)}/v/${study.number}/cover.png`) },
            ],
          }
        : {}),
    },
    ...(study.visibility === "unlisted" ? { robots: { index: false } } : {}),
  };
}

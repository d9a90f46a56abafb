/** A case study's slug: readable words from the title and 72 random bits (an unlisted study's link is its secret). */
import { randomBytes } from "node:crypto";

export function newCaseStudySlug(title: string): string {
  const words = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const secret = randomBytes(9).toString("hex");
  return words ? `${words}-${secret}` : secret;
}

export function newId(): string {
  return randomBytes(12).toString("base64url");
}

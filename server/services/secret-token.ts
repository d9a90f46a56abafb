/**
 * High-entropy secrets handed to users once (API keys, invitation links). Only SHA-256 digests are
 * stored: with 192+ random bits a slow hash adds nothing, and a digest can be looked up by equality.
 */
import { createHash, randomBytes } from "node:crypto";

export function newSecret(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

export function digestSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

import type { z } from "zod";
import { AppError, describeZodError } from "../errors";
import { readBodyLimited } from "./read-body";
import { assertValidText } from "./valid-text";

/** A small JSON request body, validated; bad JSON or a schema mismatch is a 400 naming the field. */
export async function readJson<T extends z.ZodType>(
  req: Request,
  schema: T,
  maxBytes = 64 * 1024,
): Promise<z.infer<T>> {
  const bytes = await readBodyLimited(req, maxBytes, { limitName: "a JSON request", what: "a JSON object" });
  const text = new TextDecoder().decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "body: not valid JSON");
  }
  assertValidText(value, "body");
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("BAD_REQUEST", describeZodError(parsed.error));
  return parsed.data;
}

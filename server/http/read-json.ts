import type { z } from "zod";
import { AppError, describeZodError } from "../errors";

/** A small JSON request body, validated; bad JSON or a schema mismatch is a 400 naming the field. */
export async function readJson<T extends z.ZodType>(
  req: Request,
  schema: T,
  maxBytes = 64 * 1024,
): Promise<z.infer<T>> {
  const text = await req.text();
  if (text.length > maxBytes) throw new AppError("PAYLOAD_TOO_LARGE", `The request body is over ${maxBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "body: not valid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("BAD_REQUEST", describeZodError(parsed.error));
  return parsed.data;
}

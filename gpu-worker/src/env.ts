/** The worker's configuration from the environment, validated once (flags on the command line win). */
import { hostname } from "node:os";
import { LOG_FORMATS, LOG_LEVELS } from "@circuitboard/shared/log";
import { z } from "zod";
import { DEVICE_CHOICES } from "./engine/onnx/select-device";

const ZWorkerEnvSchema = z.object({
  CIRCUITBOARD_URL: z.url().default("http://localhost:3000"),
  WORKER_TOKEN: z.string().min(24).optional(),
  WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/)
    .default(
      `${hostname()
        .replace(/[^A-Za-z0-9._:-]/g, "-")
        .slice(0, 60)}-${process.pid}`,
    ),
  /** auto | cpu | webgpu | cuda: see engine/onnx/select-device.ts. */
  WORKER_DEVICE: z.enum(DEVICE_CHOICES).default("auto"),
  // `worker serve` logs through the shared logger: JSON lines unless on a terminal outside production.
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
});

export type TWorkerEnv = z.infer<typeof ZWorkerEnvSchema>;

export function workerEnv(): TWorkerEnv {
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = ZWorkerEnvSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `Invalid worker configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  }
  return parsed.data;
}

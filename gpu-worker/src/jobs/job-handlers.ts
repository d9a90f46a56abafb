/** The kinds this worker runs. A new kind: a handler in handlers/ and a line here. */
import type { JobKind } from "@circuitboard/shared/job-payload";
import { attributeJob } from "./handlers/attribute-job";
import { dashboardsJob } from "./handlers/dashboards-job";
import { interveneJob } from "./handlers/intervene-job";
import { previewJob } from "./handlers/preview-job";
import type { JobHandler } from "./job-handler";

export const JOB_HANDLERS: Partial<Record<JobKind, JobHandler>> = {
  attribute: attributeJob as JobHandler,
  preview: previewJob as JobHandler,
  intervene: interveneJob as JobHandler,
  dashboards: dashboardsJob as JobHandler,
};

/** Kinds run on the preview lane (fast, answered even while the main lane runs a long graph). */
export const PREVIEW_LANE_KINDS: JobKind[] = ["preview"];

/** Case-study inputs: zod schemas with size bounds (the step's view reuses the saved-subgraph state). */
import { z } from "zod";
import { CASE_STUDY_VISIBILITIES } from "../../authz/policy";
import { MAX_SUBGRAPH_STATE_BYTES, ZSubgraphStateSchema } from "../subgraphs";

export const MAX_STEPS = 100;
export const MAX_PROSE_CHARS = 20_000;
/** A step's view as stored: the subgraph state (bounded on its own) plus a camera and a link mode. */
export const MAX_STEP_VIEW_BYTES = MAX_SUBGRAPH_STATE_BYTES + 1024;

export const ZCaseStudyTitleSchema = z.string().trim().min(1, "title: name the case study").max(200);
export const ZCaseStudySummarySchema = z.string().max(2000, "summary: at most 2000 characters");
export const ZCaseStudyVisibilitySchema = z.enum(CASE_STUDY_VISIBILITIES);
export const ZProseSchema = z.string().max(MAX_PROSE_CHARS, `prose: at most ${MAX_PROSE_CHARS} characters`);
export const ZId = z.string().min(1).max(64);
/** A step's preview PNG as a data: URL (a canvas capture; a few hundred KB at most). */
export const MAX_PREVIEW_CHARS = 1_500_000;
export const ZPreviewSchema = z
  .string()
  .max(MAX_PREVIEW_CHARS, `preview: at most ${MAX_PREVIEW_CHARS / 1e6} MB as a data URL`)
  .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/, "preview: a data:image/png;base64 URL");
export const ZStudySlugSchema = z.string().min(1).max(120);

/** sigma's camera: x, y in its normalised frame (0..1 for the graph's extent), ratio its zoom (1: fit). */
export const ZCameraSchema = z
  .object({
    x: z.number().min(-100).max(100),
    y: z.number().min(-100).max(100),
    ratio: z.number().positive().max(1000),
  })
  .strict();
export type TCamera = z.infer<typeof ZCameraSchema>;

/**
 * The viewer's serialisable view (url-view-state.ts / view-store.ts): the saved-subgraph state (pins,
 * supernodes and diagram positions, clicked node, pruning threshold, link type, label overrides) plus the
 * camera and the canvas's link mode ("links=" in the URL).
 */
export const ZStepViewSchema = z
  .object({
    state: ZSubgraphStateSchema,
    camera: ZCameraSchema.nullable().default(null),
    linkMode: z.string().max(40).default(""),
  })
  .strict();
export type TStepView = z.infer<typeof ZStepViewSchema>;

export const EMPTY_VIEW: TStepView = ZStepViewSchema.parse({ state: {} });

/** A stored view, read back (a row written before a schema change falls back to the empty view). */
export function parseStoredView(text: string): TStepView {
  try {
    const parsed = ZStepViewSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : EMPTY_VIEW;
  } catch {
    return EMPTY_VIEW;
  }
}

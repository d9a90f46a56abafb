import type { TGraphMetadata } from "./graph-metadata-schema";

// Which model and which transcoder set a graph was made with. The file formats disagree on where that is
// said, so the answer is derived here, once, for the importer, the worker path, the exporter, the labels
// and the case studies. The same field means different things in real files:
//
//   file (fixtures/graphs)                   metadata.scan                    other fields
//   meow-clt (circuit-tracer 0.2, Neuronp.)  "gemma-2-2b"            = model  info.transcoder_set "mntss/clt-gemma-2-2b-2.5M",
//                                                                             info.neuronpedia_source_set "clt-hp"
//   gemma-small-big-en (Neuronpedia feat.)   "gemma-2-2b"            = model  info.neuronpedia_source_set
//                                                                             "gemmascope-transcoder-16k", neuronpedia_link
//   puppy-clt (circuit-tracer >= 0.2)        "mntss/clt-llama-3.2-1b-524k" = transcoder set (HF repo), no info
//   our gpu-worker CLI, config without scan  "gpu-worker/assets/circuitboard-demo-gpt2-transcoders" = a DIRECTORY
//   our gpu-worker serve (jobs)              "circuitboard-demo-gpt2-transcoders" = the set, by its directory name;
//                                            the worker announces the model id ("circuitboard-demo-gpt2")
//   circuit-tracer without a transcoder id   null
//
// Rules, first match wins (each names itself in `sources`, shown in the graph facts panel):
//   modelId          1 announced by the worker  2 scan, when a bare name (no "/", not a path)
//                    3 the first path segment of info.neuronpedia_link
//                    4 the model inside a transcoder-set repo name ("clt-llama-3.2-1b-524k" -> "llama-3.2-1b")
//                    5 "" (unknown)
//   transcoderSetId  1 announced  2 info.transcoder_set (not a path)  3 scan, when an HF repo id "owner/name",
//                    or any non-path scan when the worker announced a different model id
//                    4 Neuronpedia's source set as "neuronpedia:{modelId}/{set}" (its URLs scope sets by model)
//                    5 scan's last directory name, when scan is a local path (stable across machines, unlike
//                      the path)  6 "" (unknown)
// A file path is never an id: exports write `metadata.scan` from these ids when the file's scan is a path.

export interface TAnnouncedIdentity {
  /** The model id the worker announced for the job (WorkerModel.id). */
  readonly modelId?: string | null;
  readonly transcoderSetId?: string | null;
}

export interface TGraphIdentity {
  /** "" when nothing says. */
  readonly modelId: string;
  /** "" when nothing says. */
  readonly transcoderSetId: string;
  /** Neuronpedia's name for the set ("clt-hp"), when the file gives it: for links to its feature pages. */
  readonly neuronpediaSourceSet: string | null;
  /** Which rule gave each id, e.g. "metadata.scan", "announced by the worker". */
  readonly sources: { readonly modelId: string; readonly transcoderSetId: string };
}

/**
 * An absolute or relative file-system path (POSIX, Windows, home), as opposed to an id. A relative path with
 * two or more separators counts (the worker run from the repo root writes "gpu-worker/assets/…"); one with a
 * single "/" cannot be told from an HF repo id ("owner/name") and is read as one.
 */
export function isFilePath(value: string): boolean {
  return (
    /^(\/|\.{1,2}(\/|\\|$)|~|[A-Za-z]:[\\/]|\\\\)/.test(value) || value.includes("\\") || value.split("/").length > 2
  );
}

const HF_REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;
const BARE_NAME = /^[A-Za-z0-9][\w.:+-]*$/;
// circuit-tracer's transcoder repos name their model: clt-gemma-2-2b-2.5M, clt-llama-3.2-1b-524k, gemma-2-2b-plt.
const MODEL_IN_SET_NAME = /^(?:clt|plt|transcoders?)-(.+?)(?:-[\d.]+[kKmM])?$/;

function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function modelFromNeuronpediaLink(link: string | null): string | null {
  if (link === null) return null;
  try {
    const segment = new URL(link).pathname.split("/").filter(Boolean)[0];
    return segment !== undefined && BARE_NAME.test(segment) ? segment : null;
  } catch {
    return null;
  }
}

function modelFromSetName(setId: string | null): string | null {
  if (setId === null || !HF_REPO_ID.test(setId)) return null;
  const name = setId.split("/")[1]!;
  return MODEL_IN_SET_NAME.exec(name)?.[1] ?? null;
}

function lastDirectoryName(path: string): string | null {
  const parts = path.split(/[\\/]+/).filter((p) => p !== "" && p !== "." && p !== "..");
  return parts.at(-1) ?? null;
}

export function deriveGraphIdentity(metadata: TGraphMetadata, announced: TAnnouncedIdentity = {}): TGraphIdentity {
  const scan = nonEmpty(metadata.scan);
  const isScanPath = scan !== null && isFilePath(scan);
  const infoSet = nonEmpty(metadata.info?.transcoder_set);
  const npSet =
    nonEmpty(metadata.info?.neuronpedia_source_set) ?? nonEmpty(metadata.feature_details?.neuronpedia_source_set);
  const scanIsRepo = scan !== null && !isScanPath && HF_REPO_ID.test(scan);

  const announcedModel = nonEmpty(announced.modelId);
  const modelCandidates: [string | null, string][] = [
    [announcedModel, "announced by the worker"],
    [scan !== null && !isScanPath && BARE_NAME.test(scan) ? scan : null, "metadata.scan"],
    [modelFromNeuronpediaLink(nonEmpty(metadata.info?.neuronpedia_link)), "metadata.info.neuronpedia_link"],
    [modelFromSetName(scanIsRepo ? scan : infoSet), "the transcoder set's name"],
  ];
  const [modelId, modelSource] = modelCandidates.find(([v]) => v !== null) ?? ["", "unknown"];

  const setCandidates: [string | null, string][] = [
    [nonEmpty(announced.transcoderSetId), "announced by the worker"],
    [infoSet !== null && !isFilePath(infoSet) ? infoSet : null, "metadata.info.transcoder_set"],
    [scanIsRepo ? scan : null, "metadata.scan"],
    // Our worker's serve mode writes the set's directory name as scan, beside an announced model id.
    [
      announcedModel !== null && scan !== null && !isScanPath && scan !== announcedModel ? scan : null,
      "metadata.scan (beside the model the worker announced)",
    ],
    [npSet !== null && modelId ? `neuronpedia:${modelId}/${npSet}` : null, "Neuronpedia source set"],
    [isScanPath ? lastDirectoryName(scan) : null, "the directory name in metadata.scan"],
  ];
  const [transcoderSetId, setSource] = setCandidates.find(([v]) => v !== null) ?? ["", "unknown"];

  return {
    modelId: modelId!,
    transcoderSetId: transcoderSetId!,
    neuronpediaSourceSet: npSet,
    sources: { modelId: modelSource, transcoderSetId: setSource },
  };
}

/**
 * What an export writes as `metadata.scan`: the file's own value when it is an id (Neuronpedia looks models
 * up by it), else the transcoder-set id (circuit-tracer fetches `features/{scan}/…` with it), else the model.
 */
export function exportScan(metadata: TGraphMetadata, identity: TGraphIdentity): string {
  const scan = nonEmpty(metadata.scan);
  if (scan !== null && !isFilePath(scan)) return scan;
  return identity.transcoderSetId || identity.modelId;
}

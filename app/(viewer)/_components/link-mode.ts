// Which links the main graph draws. "selection" (the default) draws only the links of the clicked, hovered
// and pinned nodes; "strongest" is the overview of before (#11): the N strongest links of the whole graph
// plus every link of the clicked node. The URL key `links` (selection | strongest-N | all) picks one, so a
// link or a benchmark can ask for either.

export type TLinkMode = { readonly kind: "selection" } | { readonly kind: "strongest"; readonly count: number };

export const DEFAULT_LINK_MODE: TLinkMode = { kind: "selection" };
/** Strongest links per clicked or hovered node in the selection mode ("show all" lifts it for the clicked one). */
export const LINKS_PER_SELECTED = 40;
/** Per pinned node: pins can be 200, so each gets fewer. */
export const LINKS_PER_PINNED = 12;

export function parseLinkMode(value: string | undefined | null): TLinkMode {
  if (!value || value === "selection") return DEFAULT_LINK_MODE;
  if (value === "all") return { kind: "strongest", count: Number.POSITIVE_INFINITY };
  const match = /^strongest-(\d{1,7})$/.exec(value);
  return match ? { kind: "strongest", count: Number(match[1]) } : DEFAULT_LINK_MODE;
}

export function formatLinkMode(mode: TLinkMode): string {
  if (mode.kind === "selection") return "selection";
  return Number.isFinite(mode.count) ? `strongest-${mode.count}` : "all";
}

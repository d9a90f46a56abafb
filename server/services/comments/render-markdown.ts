/**
 * Comment bodies: markdown → safe HTML, in two independent layers.
 *  1. markdown-it with raw HTML off (tags are shown as text), images off (no request to anyone's server
 *     when a comment is read), and links limited to http(s), mailto and same-page references.
 *  2. sanitize-html over its output with a small allow-list of tags, attributes and URL schemes, so
 *     that a mistake in layer 1 (or a future plugin) still cannot let a script, an event attribute or a
 *     javascript:/data: URL through.
 * Two extensions: `[[3_451_8]]` references a node of the graph (a link the viewer turns into a
 * selection), and `@[Name](userId)` mentions a member (what the @ autocomplete inserts).
 */
import MarkdownIt from "markdown-it";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import sanitizeHtml from "sanitize-html";

const NODE_REF = /^\[\[([A-Za-z0-9_.:-]{1,100})\]\]/;
const MENTION = /^@\[([^\]\n]{1,80})\]\(([A-Za-z0-9_-]{6,40})\)/;
const MENTION_GLOBAL = /@\[[^\]\n]{1,80}\]\(([A-Za-z0-9_-]{6,40})\)/g;
const NODE_REF_GLOBAL = /\[\[([A-Za-z0-9_.:-]{1,100})\]\]/g;

const md = new MarkdownIt("default", { html: false, linkify: true, breaks: true, typographer: false });
md.disable(["image"]);
md.validateLink = (url) => /^(https?:\/\/|mailto:|#|\?)/i.test(url.trim());

md.inline.ruler.before("link", "node_ref", (state: StateInline, silent: boolean) => {
  if (state.src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
  const match = NODE_REF.exec(state.src.slice(state.pos));
  if (!match) return false;
  if (!silent) state.push("node_ref", "", 0).content = match[1]!;
  state.pos += match[0].length;
  return true;
});
md.renderer.rules.node_ref = (tokens, idx) => {
  const id = md.utils.escapeHtml(tokens[idx]!.content);
  return `<a class="node-ref" href="?clickedId=${encodeURIComponent(tokens[idx]!.content)}" data-node-ref="${id}">${id}</a>`;
};

md.inline.ruler.before("link", "mention", (state: StateInline, silent: boolean) => {
  if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false;
  const match = MENTION.exec(state.src.slice(state.pos));
  if (!match) return false;
  if (!silent) {
    const token = state.push("mention", "", 0);
    token.content = match[1]!;
    token.meta = { userId: match[2]! };
  }
  state.pos += match[0].length;
  return true;
});
md.renderer.rules.mention = (tokens, idx) => {
  const token = tokens[idx]!;
  const userId = md.utils.escapeHtml((token.meta as { userId: string }).userId);
  return `<span class="mention" data-user-id="${userId}">@${md.utils.escapeHtml(token.content)}</span>`;
};

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "span",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: {
    a: ["href", "title", "class", "data-node-ref", "rel", "target"],
    span: ["class", "data-user-id"],
    ol: ["start"],
    th: ["style"],
    td: ["style"],
  },
  allowedClasses: { a: ["node-ref"], span: ["mention"] },
  allowedStyles: { th: { "text-align": [/^(left|right|center)$/] }, td: { "text-align": [/^(left|right|center)$/] } },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    a: (tagName, attribs) => {
      const isExternal = /^(https?:|mailto:)/i.test(attribs.href ?? "");
      return {
        tagName,
        attribs: isExternal ? { ...attribs, rel: "noopener noreferrer nofollow ugc", target: "_blank" } : attribs,
      };
    },
  },
};

/** Safe HTML for a comment body (markdown). */
export function renderCommentMarkdown(body: string): string {
  return sanitizeHtml(md.render(body), SANITIZE);
}

/** The user ids a body mentions, in order, without repeats. */
export function extractMentionIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION_GLOBAL)].map((m) => m[1]!))];
}

/** The node ids a body references with [[…]]. */
export function extractNodeRefs(body: string): string[] {
  return [...new Set([...body.matchAll(NODE_REF_GLOBAL)].map((m) => m[1]!))];
}

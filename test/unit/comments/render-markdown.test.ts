/**
 * Comment markdown renders inert: every trick below leaves no element or attribute that can run script or
 * fetch from elsewhere. (The browser check is test/e2e/comments-xss.spec.ts.)
 */
import { describe, expect, it } from "vitest";
import { extractMentionIds, extractNodeRefs, renderCommentMarkdown } from "~/server/services/comments/render-markdown";

const HOSTILE = [
  ["a script tag", "<script>alert(1)</script>"],
  ["an img with onerror", '<img src=x onerror="alert(1)">'],
  ["an svg with onload", "<svg onload=alert(1)><circle/></svg>"],
  ["a javascript: link", "[click](javascript:alert(1))"],
  ["a mixed-case javascript: link", "[click](JaVaScRiPt:alert(1))"],
  ["an entity-encoded javascript: link", "[click](&#106;avascript:alert(1))"],
  ["a data: link", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
  ["a markdown image", "![x](https://tracker.example/pixel.png)"],
  ["a data: image", "![x](data:image/png;base64,iVBORw0KGgo=)"],
  ["a reference-style javascript link", "[a][1]\n\n[1]: javascript:alert(1)"],
  ["an autolink with javascript", "<javascript:alert(1)>"],
  ["a link title breaking out", '[a](https://ok.example "x\\" onmouseover=\\"alert(1))'],
  ["an iframe", '<iframe src="https://evil.example"></iframe>'],
  ["a style tag", "<style>body{background:url(https://evil.example)}</style>"],
  ["an event attribute in a node ref", '[[3_451_8" onclick="alert(1)]]'],
  ["a mention with markup in the name", "@[<img src=x onerror=alert(1)>](ckabcdefgh)"],
  ["HTML entities for a tag", "&lt;script&gt;alert(1)&lt;/script&gt;"],
] as const;

describe("renderCommentMarkdown", () => {
  for (const [name, body] of HOSTILE) {
    it(`renders ${name} inert`, () => {
      const html = renderCommentMarkdown(body);
      expect(html).not.toMatch(/<(script|img|svg|iframe|style|object|embed)\b/i);
      // Attributes are checked inside real tags only (escaped text such as "&lt;img onerror=" is inert).
      for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/(href|src)\s*=\s*"\s*(javascript|data|vbscript):/i);
      for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^(https?:\/\/|mailto:|\?|#)/);
    });
  }

  it("keeps ordinary markdown", () => {
    expect(renderCommentMarkdown("**bold** _it_ `code` [site](https://example.com)")).toBe(
      '<p><strong>bold</strong> <em>it</em> <code>code</code> <a href="https://example.com" rel="noopener noreferrer nofollow ugc" target="_blank">site</a></p>\n',
    );
  });

  it("turns [[node]] into a node reference and @[Name](id) into a mention", () => {
    expect(renderCommentMarkdown("see [[27_22605_10]], @[Ada L](ckabcdefgh)")).toBe(
      '<p>see <a class="node-ref" href="?clickedId=27_22605_10" data-node-ref="27_22605_10">27_22605_10</a>, <span class="mention" data-user-id="ckabcdefgh">@Ada L</span></p>\n',
    );
    expect(extractNodeRefs("[[a_1]] and [[b_2]] and [[a_1]]")).toEqual(["a_1", "b_2"]);
    expect(extractMentionIds("@[A](ckaaaaaaaa) @[B](ckbbbbbbbb) @[A](ckaaaaaaaa)")).toEqual([
      "ckaaaaaaaa",
      "ckbbbbbbbb",
    ]);
  });
});

/**
 * A deliberately minimal YAML reader for transcoder `config.yaml` files (reference §5.1).
 *
 * No YAML package is installed, and these files only ever use: top-level `key: scalar` pairs,
 * a top-level `key:` followed by a block list of scalars (`  - item`), `#` comments, and quoted
 * or bare scalars (strings, numbers, true/false/null). That subset is what this parses; anything
 * else (nested maps, flow collections, anchors, multi-line strings) is rejected with the line
 * number, so a richer file fails loudly instead of being misread. Swap in a real YAML parser
 * when one becomes a dependency.
 */
export type FlatYamlValue = string | number | boolean | null | FlatYamlValue[];

export function parseFlatYaml(text: string, source = "config.yaml"): Record<string, FlatYamlValue> {
  const out: Record<string, FlatYamlValue> = {};
  let openList: FlatYamlValue[] | null = null;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = stripComment(raw).replace(/\s+$/, "");
    if (line.trim() === "" || line.trim() === "---") return;
    const where = `${source}:${index + 1}`;
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item) {
      if (!openList) throw new Error(`${where}: list item outside a list ("${raw.trim()}")`);
      openList.push(scalar(item[1]!, where));
      return;
    }
    if (/^\s/.test(line))
      throw new Error(`${where}: nested mappings are not supported by this minimal reader ("${raw.trim()}")`);
    const pair = /^([A-Za-z0-9_.-]+)\s*:\s*(.*)$/.exec(line);
    if (!pair) throw new Error(`${where}: expected "key: value", got "${raw.trim()}"`);
    const [, key, rest] = pair as unknown as [string, string, string];
    if (rest === "") {
      openList = [];
      out[key] = openList;
    } else {
      openList = null;
      if (rest.startsWith("[") || rest.startsWith("{")) {
        if (rest === "[]") out[key] = [];
        else throw new Error(`${where}: flow collections are not supported by this minimal reader ("${rest}")`);
      } else out[key] = scalar(rest, where);
    }
  });
  return out;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

function scalar(text: string, where: string): FlatYamlValue {
  const t = text.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) {
    if (t.length < 2) throw new Error(`${where}: unterminated quoted string`);
    return t.startsWith('"') ? (JSON.parse(t) as string) : t.slice(1, -1).replace(/''/g, "'");
  }
  if (t === "true" || t === "True") return true;
  if (t === "false" || t === "False") return false;
  if (t === "null" || t === "~") return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

// Short, safe description of a value for error messages: the type, and the value itself truncated, so a
// 10 MB string or a 10^6-element array never ends up inside an error message.

const MAX_PREVIEW_CHARS = 60;

function truncate(text: string): string {
  return text.length > MAX_PREVIEW_CHARS ? `${text.slice(0, MAX_PREVIEW_CHARS)}…` : text;
}

export function describeReceived(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (value === null) return "null";
  if (typeof value === "string") return `string ${truncate(JSON.stringify(value))}`;
  if (typeof value === "number") return `number ${String(value)}`;
  if (typeof value === "boolean") return `boolean ${String(value)}`;
  if (Array.isArray(value)) return `array of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (typeof value === "object") {
    // Key names only, and only the first few: enough to recognise the object without serialising it.
    const keys = [];
    for (const key in value) {
      if (keys.length === 4) {
        keys.push("…");
        break;
      }
      keys.push(key);
    }
    return keys.length === 0 ? "empty object" : `object with keys ${truncate(keys.join(", "))}`;
  }
  return typeof value;
}

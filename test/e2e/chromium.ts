/**
 * The one Chromium the end-to-end tests and the browser benchmarks launch: Debian's (never a downloaded
 * browser), headless, without a GPU (SwiftShader WebGL), and without the background traffic a fresh
 * profile would start. Used by playwright.config.ts, bench/viewer-load.ts and bench/viewer-comments.ts.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

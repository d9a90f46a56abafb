/** A minimal Server-Sent Events reader over fetch, for tests and benchmarks (what EventSource does). */
import type { LiveEvent } from "~/server/live/live-event";

export interface TSseStream {
  readonly status: number;
  /** Every event received so far, in order. */
  readonly events: LiveEvent[];
  /** The last `id:` seen (what EventSource would send as Last-Event-ID). */
  lastEventId: string | null;
  /** Resolves with the first event (from now on or already received) that matches. */
  waitFor(match: (e: LiveEvent) => boolean, timeoutMs?: number): Promise<LiveEvent>;
  close(): void;
  readonly body: Promise<string>;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<TSseStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: abort.signal });
  const events: LiveEvent[] = [];
  const waiters = new Set<{ match: (e: LiveEvent) => boolean; resolve: (e: LiveEvent) => void }>();
  const stream: TSseStream = {
    status: response.status,
    events,
    lastEventId: null,
    waitFor(match, timeoutMs = 10_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve: (e: LiveEvent) => (clearTimeout(timer), resolve(e)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`no matching live event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(", ")}`),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => abort.abort(),
    body: Promise.resolve(""),
  };
  if (response.status !== 200 || !response.body) {
    (stream as { body: Promise<string> }).body = response.text();
    return stream;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) stream.lastEventId = line.slice(4);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (!data) continue;
          const event = JSON.parse(data) as LiveEvent;
          events.push(event);
          for (const w of [...waiters]) {
            if (w.match(event)) {
              waiters.delete(w);
              w.resolve(event);
            }
          }
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return stream;
}

// Server-Sent Events: a stream fed by a polling loop until it says it is done or the client goes away,
// with a comment line every 15 s so that proxies keep the connection open. Every
// CADENZA_STREAM_RECHECK_SECONDS the stream checks that its caller may still read it (`recheck`): a revoked
// token, an ended session or a lost permission ends it with an `error` event.
import { env } from "../env";
import { describeError } from "../services/errors";

export interface SseSink {
  send(data: unknown, options?: { event?: string; id?: string }): void;
}

export const POLL_MS = 300;
const HEARTBEAT_MS = 15_000;
/** A stream is closed after this long even if the execution never ends (the client may reconnect). */
const MAX_STREAM_MS = 60 * 60_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export interface SseOptions {
  /** Throws when the caller may no longer read the stream (it then ends with an `error` event). */
  recheck?: () => Promise<void>;
  /** Default: CADENZA_STREAM_RECHECK_SECONDS. */
  recheckMs?: number;
}

/**
 * Runs `poll` every POLL_MS until it returns true (done) or the client disconnects; whatever it sends goes
 * to the client as `data:` lines (JSON). A failure ends the stream with an `error` event.
 */
export function sseResponse(
  signal: AbortSignal,
  poll: (sink: SseSink) => Promise<boolean>,
  options: SseOptions = {},
): Response {
  const recheckMs = options.recheckMs ?? env.CADENZA_STREAM_RECHECK_SECONDS * 1000;
  const encoder = new TextEncoder();
  const stop = new AbortController();
  signal.addEventListener("abort", () => stop.abort(), { once: true });
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (!stop.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      const sink: SseSink = {
        send(data, options = {}) {
          write(
            `${options.event ? `event: ${options.event}\n` : ""}${options.id ? `id: ${options.id}\n` : ""}data: ${JSON.stringify(data)}\n\n`,
          );
        },
      };
      write(": connected\n\n");
      const started = Date.now();
      let lastBeat = Date.now();
      let lastCheck = Date.now();
      try {
        while (!stop.signal.aborted) {
          if (options.recheck && Date.now() - lastCheck >= recheckMs) {
            await options.recheck();
            lastCheck = Date.now();
          }
          if (await poll(sink)) break;
          if (Date.now() - started > MAX_STREAM_MS) break;
          if (Date.now() - lastBeat > HEARTBEAT_MS) {
            write(": keep-alive\n\n");
            lastBeat = Date.now();
          }
          await sleep(POLL_MS, stop.signal);
        }
        write("event: end\ndata: {}\n\n");
      } catch (error) {
        const described = describeError(error);
        if (described.unexpected) console.error("cadenza api: stream failed", error);
        write(`event: error\ndata: ${JSON.stringify({ message: described.message })}\n\n`);
      } finally {
        stop.abort();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      }
    },
    cancel() {
      stop.abort();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}

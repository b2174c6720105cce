// The two Server-Sent Event streams of an execution: its states and its logs. Each reads the execution
// first (404/403 before the stream opens) and authorizes again now and then with a fresh scope, so a
// revoked token or a lost binding ends the stream.
import { toExecutionJson } from "@/engine/executor";
import { sseResponse } from "../rest/sse";
import { logPage } from "../services/execution-logs";
import { isTerminal, type LogLevelName, readExecution } from "../services/executions";
import { currentLogCursor, logsSince } from "../services/log-follow";
import type { ServiceScope } from "../services/scope";
import type { Transport } from "./operation";

function streamOf(transport: Transport) {
  if (!transport.request || !transport.reauthorize) throw new Error("a stream needs its request");
  return { signal: transport.request.signal, reauthorize: transport.reauthorize };
}

export async function followExecution(
  scope: ServiceScope,
  id: string,
  transport: Transport,
): Promise<Response> {
  const { signal, reauthorize } = streamOf(transport);
  await readExecution(scope, id);
  let last = "";
  let reader = scope;
  return sseResponse(
    signal,
    async (sink) => {
      const current = await readExecution(reader, id);
      const json = toExecutionJson(current);
      const text = JSON.stringify(json);
      if (text !== last) {
        sink.send(json, { id: String(current.state.histories.length) });
        last = text;
      }
      return isTerminal(current.state.current);
    },
    { recheck: async () => void (reader = await reauthorize()) },
  );
}

export async function followLogs(
  scope: ServiceScope,
  id: string,
  query: { minLevel?: LogLevelName; taskId?: string; tail?: number },
  transport: Transport,
): Promise<Response> {
  const { signal, reauthorize } = streamOf(transport);
  await readExecution(scope, id);
  // The cursor is a snapshot, not a log id: a line committed after a later-numbered one still comes
  // (server/services/log-follow.ts).
  let cursor: string | undefined;
  let started = false;
  let reader = scope;
  return sseResponse(
    signal,
    async (sink) => {
      // Read the state first: once it has ended, the logs read next are all there will be.
      const ended = isTerminal((await readExecution(reader, id)).state.current);
      const { tail, ...filter } = query;
      if (tail && !started) {
        // The last lines by time, then the lines committed since: the snapshot is taken first, so a line
        // written meanwhile comes twice rather than never (the client drops what it has seen); older
        // lines are the Logs tab's to read by window.
        cursor = await currentLogCursor(reader);
        const last = await logPage(reader, id, { ...filter, fromEnd: true, limit: tail });
        for (const log of last.lines) sink.send(log, { id: log.id });
      }
      started = true;
      const page = await logsSince(reader, id, filter, cursor);
      for (const log of page.lines) sink.send(log, { id: log.id });
      cursor = page.cursor;
      return ended;
    },
    { recheck: async () => void (reader = await reauthorize()) },
  );
}

// The live log stream never skips a line committed out of order. Two transactions on the real PostgreSQL:
// the first takes the lower log id and stays open, the second takes the next id and commits first. A cursor
// "id > last sent" reads the second line, moves past the first, and never sends it (shown below with the
// id-ordered read); the follow's snapshot cursor sends both, once each, through the real SSE route.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executionLogs } from "@/server/services/executions";
import { logsSince } from "@/server/services/log-follow";
import { createScope } from "@/server/services/scope";
import { insertLogs } from "@/worker/embedded/logs-store";
import { setUpApi } from "./harness";

const api = setUpApi();

const FLOW = `id: chatty
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
`;

/** Reads `data:` events of a text/event-stream as they arrive. */
function events(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const seen: { message?: string; id?: string }[] = [];
  return {
    seen,
    /** Waits until a line with this message has arrived (the test's own timeout bounds it). */
    async until(message: string): Promise<void> {
      while (!seen.some((event) => event.message === message)) {
        const { done, value } = await reader.read();
        if (done)
          throw new Error(`the stream ended before "${message}" (seen: ${JSON.stringify(seen)}, ${buffer})`);
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split("\n")
            .filter((line) => line.startsWith("data:"))
            .map((line) => line.slice(5).trim())
            .join("\n");
          if (block.includes("event: error")) throw new Error(`the stream failed: ${data}`);
          if (data && !block.includes("event: end")) seen.push(JSON.parse(data));
          end = buffer.indexOf("\n\n");
        }
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

describe("log follow without gaps", () => {
  let token = "";
  let tenantId = "";
  let executionId = "";
  let pool: pg.Pool;

  beforeAll(async () => {
    const admin = await api.admin("follow", "admin@follow.test");
    token = admin.token;
    tenantId = admin.tenantId;
    await api.deploy("follow", token, FLOW);
    // Paused until resumed: the execution does not end, so its stream stays open while lines arrive.
    const started = await api.call("POST", "follow/executions/company.team/chatty", { token });
    executionId = (started.json as { id: string }).id;
    pool = new pg.Pool({ connectionString: api.database.url, max: 4 });
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
  });

  const line = (message: string) => ({
    executionId,
    namespace: "company.team",
    flowId: "chatty",
    taskId: "say",
    level: "INFO" as const,
    message,
    timestamp: new Date().toISOString(),
  });

  /** Line `early` takes the lower id in a transaction left open; `late` takes the next id and commits. */
  async function outOfOrder(early: string, late: string) {
    const first = await pool.connect();
    const second = await pool.connect();
    await first.query("begin");
    await insertLogs(first, tenantId, [line(early)]);
    await second.query("begin");
    await insertLogs(second, tenantId, [line(late)]);
    await second.query("commit");
    second.release();
    const ids = await api.query<{ message: string; id: string }>(
      "select message, id::text from log_entries where message = any($1)",
      [[late]],
    );
    return {
      lateId: ids[0]?.id as string,
      async commitEarly() {
        await first.query("commit");
        first.release();
      },
    };
  }

  const scope = async () => {
    const { loadTenantAccess } = await import("@/server/access/load-access");
    const { resolvePrincipal } = await import("@/server/auth/principal");
    const principal = await resolvePrincipal(api.database.db, {
      authorization: `Bearer ${token}`,
      session: async () => null,
    });
    if (!principal) throw new Error("no principal");
    const access = await loadTenantAccess(api.database.db, principal, "follow");
    return createScope({
      db: api.database.db,
      tenant: access.tenant,
      principal: access.principal,
      engine: async () => api.engine,
    });
  };

  it("an id cursor skips the line committed last; the snapshot cursor does not", async () => {
    const s = await scope();
    const before = await logsSince(s, executionId, {});
    const race = await outOfOrder("early-1", "late-1");

    // The follower reads while the early line is still in flight: only the late one is there.
    const seenFirst = await logsSince(s, executionId, {}, before.cursor);
    expect(seenFirst.lines.map((l) => l.message)).toEqual(["late-1"]);
    await race.commitEarly();

    // An "id > last sent" cursor has moved past the early line's id for good: this is the gap.
    const byId = await executionLogs(s, executionId, { after: race.lateId, order: "id" });
    expect(byId.map((l) => l.message)).not.toContain("early-1");
    const all = await executionLogs(s, executionId, {});
    expect(all.map((l) => l.message)).toEqual(expect.arrayContaining(["early-1", "late-1"]));
    expect(Number(all.find((l) => l.message === "early-1")?.id)).toBeLessThan(Number(race.lateId));

    // The snapshot cursor sends it, once.
    const seenThen = await logsSince(s, executionId, {}, seenFirst.cursor);
    expect(seenThen.lines.map((l) => l.message)).toEqual(["early-1"]);
    expect((await logsSince(s, executionId, {}, seenThen.cursor)).lines).toEqual([]);
  });

  it("the SSE follow stream sends a line committed after a later-numbered one", async () => {
    const controller = new AbortController();
    const response = await api.fetch("GET", `follow/logs/${executionId}/follow?minLevel=INFO`, {
      token,
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const stream = events(response);
    let open: { commitEarly(): Promise<void> } | undefined;
    try {
      // Whatever was written before is sent first (the previous test's lines).
      await stream.until("late-1");
      const race = await outOfOrder("early-2", "late-2");
      open = race;
      await stream.until("late-2");
      expect(stream.seen.map((e) => e.message)).not.toContain("early-2");
      await race.commitEarly();
      open = undefined;
      await stream.until("early-2");
      const messages = stream.seen.map((e) => e.message);
      for (const message of ["early-1", "late-1", "early-2", "late-2"])
        expect(
          messages.filter((m) => m === message),
          message,
        ).toHaveLength(1);
      expect(new Set(stream.seen.map((e) => e.id)).size).toBe(stream.seen.length);
    } finally {
      controller.abort();
      await stream.cancel();
      await open?.commitEarly().catch(() => {});
    }
  }, 60_000);

  it("refuses a cursor that is not a snapshot", async () => {
    await expect(logsSince(await scope(), executionId, {}, "1; drop table log_entries")).rejects.toThrow(
      /not a log cursor/,
    );
  });
});

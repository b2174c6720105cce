// Validating a flow and previewing its topology read nothing stored, but like every flow operation they
// need FLOW:READ: a principal without it anywhere is refused before its YAML is parsed, and one that holds it
// only on another namespace is refused for the namespace the YAML declares. Through REST and tRPC.
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { setUpApi } from "../api/harness";

const api = setUpApi();

const flow = (namespace: string) => `id: f
namespace: ${namespace}
tasks:
  - id: log
    type: core.log.Log
    message: hi
`;

describe("flow validation and graph preview need FLOW:READ", () => {
  let admin = "";
  /** A role without FLOW:READ, tenant-wide. */
  let noFlowRead = "";
  /** FLOW:READ on namespace `team.a` only. */
  let readsTeamA = "";
  let robots = 0;

  async function serviceAccountToken(role: string, namespace: string | null): Promise<string> {
    const account = await api.call("POST", "preview/service-accounts", {
      token: admin,
      body: { name: `robot-${++robots}` },
    });
    expect(account.status, account.text).toBeLessThan(300);
    const id = (account.json as { id: string }).id;
    const bound = await api.call("POST", "preview/bindings", {
      token: admin,
      body: { subjectType: "SERVICE_ACCOUNT", subjectId: id, role, namespace },
    });
    expect(bound.status, bound.text).toBeLessThan(300);
    const created = await api.call("POST", `preview/service-accounts/${id}/api-tokens`, {
      token: admin,
      body: { name: "ci" },
    });
    return (created.json as { token: string }).token;
  }

  beforeAll(async () => {
    admin = (await api.admin("preview", "admin@preview.test")).token;
    const role = await api.call("POST", "preview/roles", {
      token: admin,
      body: { name: "Runs only", permissions: ["EXECUTION:READ", "EXECUTION:CREATE"] },
    });
    expect(role.status, role.text).toBeLessThan(300);
    noFlowRead = await serviceAccountToken("Runs only", null);
    readsTeamA = await serviceAccountToken("Viewer", "team.a");
  }, 60_000);

  const rest = async (path: "flows/validate" | "flows/graph", token: string, body: string) =>
    api.call("POST", `preview/${path}`, { token, body });

  it("REST: refused without FLOW:READ anywhere, with a JSON message and nothing parsed", async () => {
    for (const path of ["flows/validate", "flows/graph"] as const) {
      const refused = await rest(path, noFlowRead, flow("team.a"));
      expect(refused.status, path).toBe(403);
      expect((refused.json as { message: string }).message).toMatch(/lacks FLOW:READ in tenant 'preview'/);
      // Even YAML that does not parse is refused for the right, not answered with its errors.
      expect((await rest(path, noFlowRead, "id: [")).status, path).toBe(403);
    }
  });

  it("REST: allowed in the namespace bound, refused in another", async () => {
    const validation = await rest("flows/validate", readsTeamA, flow("team.a.sub"));
    expect(validation.status, validation.text).toBe(200);
    expect((validation.json as { valid: boolean }[])[0]?.valid).toBe(true);
    expect((await rest("flows/graph", readsTeamA, flow("team.a"))).status).toBe(200);

    for (const path of ["flows/validate", "flows/graph"] as const) {
      const refused = await rest(path, readsTeamA, flow("team.b"));
      expect(refused.status, path).toBe(403);
      expect((refused.json as { message: string }).message).toMatch(/FLOW:READ on namespace team\.b/);
    }
    // Several documents: one outside the binding refuses the whole request.
    expect((await rest("flows/validate", readsTeamA, `${flow("team.a")}---\n${flow("team.b")}`)).status).toBe(
      403,
    );
  });

  it("tRPC: flows.validate and flows.sourceGraph refuse the same principals", async () => {
    const forbidden = async (run: () => Promise<unknown>) => {
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("FORBIDDEN");
    };
    const none = await api.trpc({ token: noFlowRead });
    await forbidden(() => none.flows.validate({ tenant: "preview", source: flow("team.a") }));
    await forbidden(() => none.flows.sourceGraph({ tenant: "preview", source: flow("team.a") }));

    const teamA = await api.trpc({ token: readsTeamA });
    expect((await teamA.flows.validate({ tenant: "preview", source: flow("team.a") }))[0]?.valid).toBe(true);
    expect(
      (await teamA.flows.sourceGraph({ tenant: "preview", source: flow("team.a") })).nodes.length,
    ).toBeGreaterThan(0);
    await forbidden(() => teamA.flows.validate({ tenant: "preview", source: flow("team.b") }));
    await forbidden(() => teamA.flows.sourceGraph({ tenant: "preview", source: flow("team.b") }));
  });

  it("an admin still validates and previews any namespace", async () => {
    expect((await rest("flows/validate", admin, flow("anything.at.all"))).status).toBe(200);
    expect((await rest("flows/graph", admin, flow("anything.at.all"))).status).toBe(200);
  });
});

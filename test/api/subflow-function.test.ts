// subflow() where the server renders inputs: the execute dialog's validation and an execution's start,
// through the REST API of a server on the embedded engine; the child is looked up in the caller's tenant.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const REGIONS = `id: regions
namespace: company.team
inputs:
  - { id: prefix, type: STRING, defaults: us }
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "listing {{ inputs.prefix }}" }
outputs:
  - { id: first, type: STRING, value: "{{ inputs.prefix }}-west" }
`;

const FORM = `id: form
namespace: company.team
inputs:
  - id: region
    type: SELECT
    expression: "{{ [subflow('company.team', 'regions', {'prefix': 'eu'}).outputs.first, 'other'] }}"
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "{{ inputs.region }}" }
`;

describe("subflow() in the server's input rendering", () => {
  it("computes a SELECT's values from a flow in the execute dialog and at the start, in the caller's tenant only", async () => {
    const { token, tenantId } = await api.admin("acme", "admin@acme.test");
    await api.deploy("acme", token, REGIONS);
    await api.deploy("acme", token, FORM);

    const form = new FormData();
    form.set("region", "eu-west");
    const validated = await api.call("POST", "acme/executions/company.team/form/validate", {
      token,
      body: form,
    });
    expect(validated.status).toBe(200);
    expect(validated.json).toMatchObject({
      inputs: [{ id: "region", value: "eu-west", enabled: true, errors: [] }],
    });

    // A value the flow did not answer is not among the SELECT's values.
    const wrong = new FormData();
    wrong.set("region", "nowhere");
    const refusedValue = await api.call("POST", "acme/executions/company.team/form/validate", {
      token,
      body: wrong,
    });
    expect(JSON.stringify(refusedValue.json)).toMatch(/"errors":\[\{"message":"[^"]*nowhere/);

    const started = await api.call("POST", "acme/executions/company.team/form?wait=true", {
      token,
      body: { region: "eu-west" },
    });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ state: { current: "SUCCESS" }, inputs: { region: "eu-west" } });
    const children = await api.query<{ state: string; tenant_id: string }>(
      "select state, tenant_id from executions where flow_id = 'regions'",
    );
    expect(children).toEqual([
      { state: "SUCCESS", tenant_id: tenantId },
      { state: "SUCCESS", tenant_id: tenantId },
      { state: "SUCCESS", tenant_id: tenantId },
    ]);

    // Another tenant with the same caller but no 'regions' of its own: not found, whatever acme has.
    const other = await api.admin("globex", "admin@globex.test");
    await api.deploy("globex", other.token, FORM);
    const refused = await api.call("POST", "globex/executions/company.team/form", {
      token: other.token,
      body: { region: "eu-west" },
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.json)).toContain("Unable to find flow 'company.team'.'regions'");
    expect(await api.query("select id from executions where tenant_id = $1", [other.tenantId])).toHaveLength(
      0,
    );
  }, 60_000);
});

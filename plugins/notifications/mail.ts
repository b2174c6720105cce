import { z } from "zod";
import { definePlugin, dyn, type TaskRunContext } from "@/engine/plugin";
import { readFile, requireStorage } from "../core/storage/files";
import { type MailPart, recipients, sendMail, TRANSPORT_STRATEGIES } from "./smtp";
import {
  type ExecutionSummaryData,
  executionShape,
  fieldText,
  headline,
  outcome,
  summarise,
} from "./summary";

const SEND = "notifications.mail.MailSend";
const EXECUTION = "notifications.mail.MailExecution";

const attachment = z.strictObject({
  name: z.string().min(1).describe("The file name the recipient sees (e.g. `report.csv`)."),
  uri: z.string().min(1).describe("The file in the internal storage: a `kestra://` URI."),
  contentType: z
    .string()
    .default("application/octet-stream")
    .describe("The MIME type, e.g. `text/csv`, `image/png`, `application/pdf`."),
});
type Attachment = z.output<typeof attachment>;

const attachmentList = (description: string) =>
  z
    .union([z.array(attachment), z.string()])
    .optional()
    .describe(
      `${description} A list of \`{name, uri, contentType}\`, or the same as a JSON string (e.g. \`{{ inputs.attachments | toJson }}\`).`,
    );

/** Kestra's MailSend properties: the server, the envelope and the content. */
const mailShape = {
  host: z.string().min(1).describe("The SMTP server's host name or address."),
  port: dyn(z.number().int().min(1).max(65535))
    .optional()
    .describe("The SMTP server's port; default: 25 for SMTP, 465 for SMTPS, 587 for SMTP_TLS."),
  username: z.string().optional().describe("The user name to authenticate with; keep it in a secret."),
  password: z.string().optional().describe("The password to authenticate with; keep it in a secret."),
  transportStrategy: dyn(z.enum(TRANSPORT_STRATEGIES))
    .default("SMTPS")
    .describe(
      "SMTPS: TLS from the start (port 465). SMTP_TLS: plain connection that must upgrade with STARTTLS (port 587). SMTP: plain, upgraded with STARTTLS when the server offers it (port 25).",
    ),
  sessionTimeout: dyn(z.number().int().positive())
    .default(10_000)
    .describe("Milliseconds allowed to connect, for the greeting and for each answer of the server."),
  verifyServerIdentity: dyn(z.boolean())
    .default(true)
    .describe("Whether the server's TLS certificate must be valid for its host name."),
  trustedHosts: z
    .array(z.string())
    .optional()
    .describe(
      "When set, only these hosts may be used, and their TLS certificates are accepted without validating the chain (self-signed internal servers).",
    ),
  from: z.string().min(1).describe("The sender's address (RFC 2822, e.g. `Cadenza <noreply@example.com>`)."),
  to: z.string().min(1).describe("The recipients; separate several addresses with semicolons."),
  cc: z.string().optional().describe("Carbon-copy recipients; separate several addresses with semicolons."),
  subject: z.string().optional().describe("The subject."),
  plainTextContent: z
    .string()
    .optional()
    .describe(
      "The body as plain text; default: 'Please view this email in a modern email client'. With htmlTextContent, clients choose one of the two.",
    ),
  attachments: attachmentList("Files from the internal storage attached to the message."),
  embeddedImages: attachmentList(
    "Images from the internal storage embedded in the message; the HTML refers to each as `cid:<name>`.",
  ),
};

/** Attachments written as a list or as JSON (one object or an array), as Kestra accepts them. */
function attachmentsOf(value: Attachment[] | string | undefined, property: string): Attachment[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  const text = value.trim();
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
    // `{{ x | toJson }}` of a string gives a JSON string holding the JSON: unwrap it once.
    if (typeof parsed === "string") parsed = JSON.parse(parsed);
  } catch (error) {
    throw new Error(`${property} is not valid JSON: ${(error as Error).message}`);
  }
  const list = z.array(attachment).safeParse(Array.isArray(parsed) ? parsed : [parsed]);
  if (!list.success) {
    throw new Error(
      `${property} must be a list of {name, uri, contentType}: ${list.error.issues[0]?.message ?? ""}`,
    );
  }
  return list.data;
}

async function partsOf(
  ctx: TaskRunContext<unknown>,
  value: Attachment[] | string | undefined,
  property: string,
  embedded: boolean,
): Promise<MailPart[]> {
  const list = attachmentsOf(value, property);
  if (list.length === 0) return [];
  const storage = requireStorage(ctx, SEND);
  return Promise.all(
    list.map(async (entry) => ({
      filename: entry.name,
      content: Buffer.from(await readFile(storage, entry.uri, `${property}.uri`)),
      contentType: entry.contentType,
      ...(embedded ? { cid: entry.name } : {}),
    })),
  );
}

type MailProperties = z.output<z.ZodObject<typeof mailShape>> & { htmlTextContent?: string };

async function deliver(ctx: TaskRunContext<unknown>, p: MailProperties): Promise<void> {
  const to = recipients(p.to);
  if (to.length === 0) throw new Error("'to' must name at least one recipient");
  const attachments = [
    ...(await partsOf(ctx, p.attachments, "attachments", false)),
    ...(await partsOf(ctx, p.embeddedImages, "embeddedImages", true)),
  ];
  ctx.logger.debug(`Sending an email to ${to.join(", ")}`);
  let answer: string;
  try {
    answer = await sendMail(
      {
        host: p.host,
        port: p.port,
        username: p.username,
        password: p.password,
        transportStrategy: p.transportStrategy,
        sessionTimeoutMs: p.sessionTimeout,
        verifyServerIdentity: p.verifyServerIdentity,
        trustedHosts: p.trustedHosts,
      },
      {
        from: p.from,
        to,
        cc: recipients(p.cc),
        subject: p.subject,
        html: p.htmlTextContent,
        text: p.plainTextContent ?? "Please view this email in a modern email client",
        attachments,
      },
      ctx.services.httpPolicy ?? { allowPrivateNetworks: false },
      ctx.signal,
    );
  } catch (error) {
    throw new Error(`sending the email through ${p.host} failed: ${(error as Error).message}`);
  }
  ctx.logger.info(`Email sent to ${to.join(", ")}: ${answer}`);
}

export const mailSendPlugin = definePlugin({
  type: SEND,
  kind: "runnable",
  aliases: ["io.kestra.plugin.email.MailSend"],
  title: "Send an email over SMTP.",
  description: [
    "Sends a message with an HTML and/or plain-text body, attachments and embedded images read from the",
    "internal storage, through an SMTP server (SMTPS, STARTTLS or plain SMTP, with optional login). The",
    "server's address goes through the outbound-address policy of `core.http.Request`: private and local",
    "servers are refused unless the operator allows their range.",
  ].join("\n"),
  schema: z.object({
    ...mailShape,
    htmlTextContent: z
      .string()
      .optional()
      .describe("The body as HTML; clients that show HTML prefer it over plainTextContent."),
  }),
  examples: [
    {
      title: "Send an email on a failed flow execution",
      flow: `id: unreliable_flow
namespace: company.team

tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail

errors:
  - id: send_email
    type: io.kestra.plugin.notifications.mail.MailSend
    from: hello@example.com
    to: oncall@example.com
    username: "{{ secret('EMAIL_USERNAME') }}"
    password: "{{ secret('EMAIL_PASSWORD') }}"
    host: mail.example.com
    port: 465
    subject: "Flow {{ flow.namespace }}.{{ flow.id }} failed"
    htmlTextContent: "Failure alert for flow {{ flow.namespace }}.{{ flow.id }} with ID {{ execution.id }}"
`,
    },
    {
      title: "Send a downloaded CSV file as an attachment",
      flow: `id: send_report
namespace: company.team

tasks:
  - id: report
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/exports/report.csv

  - id: send_email
    type: io.kestra.plugin.email.MailSend
    from: reports@example.com
    to: "team@example.com; boss@example.com"
    host: mail.example.com
    port: 587
    transportStrategy: SMTP_TLS
    username: "{{ secret('EMAIL_USERNAME') }}"
    password: "{{ secret('EMAIL_PASSWORD') }}"
    subject: Daily report
    plainTextContent: The report is attached.
    attachments:
      - name: report.csv
        uri: "{{ outputs.report.uri }}"
        contentType: text/csv
`,
    },
  ],
  async run(ctx) {
    await deliver(ctx, ctx.properties);
    return {};
  },
});

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

const STATE_COLOUR: Record<string, string> = { SUCCESS: "green", WARNING: "orange" };

/** The summary as HTML (the content of Kestra's mail-template.hbs.peb) and as plain text. */
export function mailSummary(summary: ExecutionSummaryData): { html: string; text: string; subject: string } {
  const { execution } = summary;
  const rows: [string, string][] = [
    ["Namespace", execution.namespace],
    ["Flow", execution.flowId],
    ["Execution", execution.id],
    ["Status", execution.state],
    ...(summary.lastTask ? [["Final task ID", summary.lastTask.taskId] as [string, string]] : []),
    ...Object.entries(summary.customFields ?? {}).map(([k, v]) => [k, fieldText(v)] as [string, string]),
  ];
  const colour = STATE_COLOUR[execution.state] ?? "red";
  const html = [
    `<h2>[${escapeHtml(execution.namespace)}] ${escapeHtml(execution.flowId)} ➛ <span style="color: ${colour};">${escapeHtml(execution.state)}</span></h2>`,
    ...(summary.customMessage !== undefined ? [`<p>${escapeHtml(summary.customMessage)}</p>`] : []),
    `<p>${escapeHtml(outcome(summary)).replace(/`([^`]*)`/g, "<code>$1</code>")}</p>`,
    ...(summary.link
      ? [`<p><a href="${escapeHtml(summary.link)}" target="_blank">Link to the execution</a></p>`]
      : []),
    ...rows.map(([k, v]) => `<p><strong>${escapeHtml(k)} :</strong> ${escapeHtml(v)}</p>`),
  ].join("\n");
  const text = [
    headline(summary),
    ...(summary.customMessage !== undefined ? [summary.customMessage] : []),
    outcome(summary),
    ...(summary.link ? [`Link to the execution: ${summary.link}`] : []),
    ...rows.map(([k, v]) => `${k}: ${v}`),
  ].join("\n");
  return { html, text, subject: headline(summary) };
}

export const mailExecutionPlugin = definePlugin({
  type: EXECUTION,
  kind: "runnable",
  aliases: ["io.kestra.plugin.email.MailExecution"],
  title: "Send an email with a summary of an execution.",
  description: [
    "Sends, over SMTP as `MailSend` does, a summary of an execution: namespace, flow, id, state, the task",
    "that failed, the last task and the duration, with a link to the execution page when CADENZA_PUBLIC_URL",
    "is set. `customMessage` opens the message and `customFields` are listed in it. The subject defaults to",
    "`[namespace] flow ➛ STATE`. Use it in `errors` or `afterExecution`.",
  ].join("\n"),
  schema: z.object({ ...mailShape, ...executionShape }),
  examples: [
    {
      title: "Email the outcome of every execution",
      flow: `id: mail_summary
namespace: company.team

tasks:
  - id: work
    type: io.kestra.plugin.core.log.Log
    message: working

afterExecution:
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailExecution
    host: mail.example.com
    port: 465
    username: "{{ secret('EMAIL_USERNAME') }}"
    password: "{{ secret('EMAIL_PASSWORD') }}"
    from: cadenza@example.com
    to: oncall@example.com
    customMessage: Nightly load
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const summary = mailSummary(await summarise(ctx, p, EXECUTION));
    await deliver(ctx, {
      ...p,
      subject: p.subject ?? summary.subject,
      htmlTextContent: summary.html,
      plainTextContent: p.plainTextContent ?? summary.text,
    });
    return {};
  },
});

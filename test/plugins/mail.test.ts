// MailSend and MailExecution against a real SMTP server (smtp-server, listening on 127.0.0.1 in this
// process): each test parses the message the server received and asserts its headers, bodies and bytes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf, newEngine, run, taskRun } from "./helpers";

const TEST_SERVER = { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] };

interface Received {
  from: string;
  to: string[];
  user?: string;
  secure: boolean;
  mail: ParsedMail;
}
let received: Received[] = [];

/** Starts an SMTP server; `secure` makes it SMTPS, a key and certificate let it offer STARTTLS. */
async function smtp(options: ConstructorParameters<typeof SMTPServer>[0]): Promise<{
  server: SMTPServer;
  port: number;
}> {
  const server = new SMTPServer({
    authOptional: true,
    ...options,
    onAuth(auth, _session, callback) {
      if (auth.username === "mailer" && auth.password === "s3cret") return callback(null, { user: "mailer" });
      return callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        simpleParser(Buffer.concat(chunks), { skipImageLinks: true }).then((mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            secure: session.secure,
            mail,
          });
          callback();
        }, callback);
      });
    },
  });
  // A client that refuses the certificate hangs up mid-handshake: the server reports it as an error event.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.server.address() as AddressInfo).port };
}

let dir: string;
let plain: { server: SMTPServer; port: number };
let tls: { server: SMTPServer; port: number };
let starttls: { server: SMTPServer; port: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cadenza-mail-"));
  // A self-signed certificate for 127.0.0.1, made by the openssl command line.
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  const key = readFileSync(join(dir, "key.pem"));
  const cert = readFileSync(join(dir, "cert.pem"));
  plain = await smtp({ disabledCommands: ["STARTTLS"], allowInsecureAuth: true });
  tls = await smtp({ secure: true, key, cert });
  starttls = await smtp({ key, cert });
});
afterAll(async () => {
  for (const s of [plain, tls, starttls])
    await new Promise<void>((resolve) => s.server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  received = [];
});

const engineOf = () =>
  newEngine({ httpPolicy: TEST_SERVER, publicUrl: "https://cadenza.example.com" }).engine;

describe("MailSend", () => {
  it("sends HTML and text, cc, attachments and an embedded image from the internal storage", async () => {
    const engine = engineOf();
    const csv = "id,total\n1,42\n";
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
    const csvUri = await engine.storage.put("kestra:///company/team/mail/report.csv", csv);
    const pngUri = await engine.storage.put("kestra:///company/team/mail/logo.png", png);
    const execution = await run(
      engine,
      `id: mail
namespace: company.team
inputs:
  - id: files
    type: JSON
tasks:
  - id: send
    type: io.kestra.plugin.notifications.mail.MailSend
    host: 127.0.0.1
    port: ${plain.port}
    transportStrategy: SMTP
    username: mailer
    password: s3cret
    from: "Cadenza <cadenza@example.com>"
    to: "a@example.com; \\"Doe, Jane\\" <jane@example.com>"
    cc: c@example.com
    subject: "Report of {{ flow.id }}"
    htmlTextContent: '<p>See <img src="cid:logo.png"></p>'
    plainTextContent: "See the report of {{ execution.id }}"
    attachments: "{{ inputs.files | toJson }}"
    embeddedImages:
      - name: logo.png
        uri: ${pngUri}
        contentType: image/png
`,
      { files: [{ name: "report.csv", uri: csvUri, contentType: "text/csv" }] },
    );
    expect(errorOf(execution, "send")).toBeUndefined();
    expect(taskRun(execution, "send").state.current).toBe("SUCCESS");
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message?.user).toBe("mailer");
    expect(message?.from).toBe("cadenza@example.com");
    expect(message?.to).toEqual(["a@example.com", "jane@example.com", "c@example.com"]);
    const mail = message?.mail as ParsedMail;
    expect(mail.subject).toBe("Report of mail");
    expect(mail.from?.value).toEqual([{ address: "cadenza@example.com", name: "Cadenza" }]);
    expect(mail.cc && !Array.isArray(mail.cc) ? mail.cc.value : []).toEqual([
      { address: "c@example.com", name: "" },
    ]);
    expect(mail.text?.trim()).toBe(`See the report of ${execution.id}`);
    expect(mail.html).toContain('<img src="cid:logo.png">');
    const csvPart = mail.attachments.find((a) => a.filename === "report.csv");
    expect(csvPart?.contentType).toBe("text/csv");
    expect(csvPart?.content.toString("utf8")).toBe(csv);
    const image = mail.attachments.find((a) => a.filename === "logo.png");
    expect(image?.contentType).toBe("image/png");
    expect(image?.cid).toBe("logo.png");
    expect(image?.related).toBe(true);
    expect(Buffer.compare(image?.content as Buffer, png)).toBe(0);
  });

  it("SMTPS (the default) speaks TLS from the start; the certificate must be trusted", async () => {
    const engine = engineOf();
    const flow = (extra: string) => `id: smtps
namespace: company.team
tasks:
  - id: send
    type: io.kestra.plugin.email.MailSend
    host: 127.0.0.1
    port: ${tls.port}
    from: cadenza@example.com
    to: ops@example.com
    subject: over TLS
${extra}`;
    const refused = await run(engine, flow(""));
    expect(taskRun(refused, "send").state.current).toBe("FAILED");
    expect(errorOf(refused, "send")).toMatch(/sending the email through 127\.0\.0\.1 failed: .*certificate/i);
    expect(received).toHaveLength(0);

    const trusted = await run(engine, flow("    trustedHosts: [127.0.0.1]\n"));
    expect(errorOf(trusted, "send")).toBeUndefined();
    expect(received).toHaveLength(1);
    expect(received[0]?.secure).toBe(true);
    expect(received[0]?.mail.text?.trim()).toBe("Please view this email in a modern email client");
  });

  it("SMTP_TLS upgrades with STARTTLS, and refuses a server that does not offer it", async () => {
    const engine = engineOf();
    const flow = (port: number) => `id: starttls
namespace: company.team
tasks:
  - id: send
    type: io.kestra.plugin.notifications.mail.MailSend
    host: 127.0.0.1
    port: ${port}
    transportStrategy: SMTP_TLS
    verifyServerIdentity: false
    from: cadenza@example.com
    to: ops@example.com
    plainTextContent: hello
`;
    const upgraded = await run(engine, flow(starttls.port));
    expect(errorOf(upgraded, "send")).toBeUndefined();
    expect(received.map((r) => r.secure)).toEqual([true]);

    const noTls = await run(engine, flow(plain.port));
    expect(taskRun(noTls, "send").state.current).toBe("FAILED");
    expect(errorOf(noTls, "send")).toMatch(/STARTTLS/);
    expect(received).toHaveLength(1);
  });

  it("clear failures: wrong password, missing attachment, a host outside trustedHosts, a private address", async () => {
    const engine = engineOf();
    const base = (port: number, extra: string) => `id: failures
namespace: company.team
tasks:
  - id: send
    type: io.kestra.plugin.notifications.mail.MailSend
    host: 127.0.0.1
    port: ${port}
    transportStrategy: SMTP
    from: cadenza@example.com
    to: ops@example.com
${extra}`;
    const badLogin = await run(engine, base(plain.port, "    username: mailer\n    password: wrong\n"));
    expect(errorOf(badLogin, "send")).toMatch(/Invalid username or password/);
    const missing = await run(
      engine,
      base(plain.port, "    attachments:\n      - name: x.csv\n        uri: kestra:///nope/x.csv\n"),
    );
    expect(errorOf(missing, "send")).toBe("file not found in internal storage: kestra:///nope/x.csv");
    const untrusted = await run(engine, base(plain.port, "    trustedHosts: [mail.example.com]\n"));
    expect(errorOf(untrusted, "send")).toMatch(/host '127\.0\.0\.1' is not one of the trustedHosts/);
    expect(received).toHaveLength(0);

    const strict = newEngine().engine;
    const blocked = await run(strict, base(plain.port, ""));
    expect(errorOf(blocked, "send")).toMatch(/127\.0\.0\.1.*refused: private and local addresses/);
    expect(received).toHaveLength(0);
  });
});

describe("MailExecution", () => {
  it("emails the summary of a failed execution from afterExecution", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      `id: nightly
namespace: company.team
tasks:
  - id: extract
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: source unreachable
afterExecution:
  - id: mail
    type: io.kestra.plugin.email.MailExecution
    host: 127.0.0.1
    port: ${plain.port}
    transportStrategy: SMTP
    from: cadenza@example.com
    to: oncall@example.com
    customMessage: "Nightly <load>"
    customFields:
      env: prod
`,
    );
    expect(errorOf(execution, "mail")).toBeUndefined();
    expect(received).toHaveLength(1);
    const mail = received[0]?.mail as ParsedMail;
    expect(mail.subject).toBe("[company.team] nightly ➛ FAILED");
    expect(mail.html).toContain("Nightly &lt;load&gt;");
    expect(mail.html).toContain("Failed on task <code>extract</code>");
    expect(mail.html).toContain(`https://cadenza.example.com/executions/${execution.id}`);
    const text = mail.text ?? "";
    expect(text).toContain(`Execution: ${execution.id}`);
    expect(text).toContain("Status: FAILED");
    expect(text).toContain("env: prod");
  });
});

import { isIP } from "node:net";
import nodemailer from "nodemailer";
import type { HttpPolicy } from "@/engine/plugin";
import { resolveChecked } from "../core/http/checked-resolve";

/**
 * Kestra's (Simple Java Mail's) transport strategies: SMTP upgrades to TLS when the server offers STARTTLS,
 * SMTPS speaks TLS from the first byte, SMTP_TLS refuses to send unless STARTTLS succeeds.
 */
export const TRANSPORT_STRATEGIES = ["SMTP", "SMTPS", "SMTP_TLS"] as const;
export type TransportStrategy = (typeof TRANSPORT_STRATEGIES)[number];

/** The port each strategy uses when `port` is not set (Simple Java Mail's defaults). */
const DEFAULT_PORT: Record<TransportStrategy, number> = { SMTP: 25, SMTPS: 465, SMTP_TLS: 587 };

export interface SmtpServer {
  host: string;
  port?: number;
  username?: string;
  password?: string;
  transportStrategy: TransportStrategy;
  sessionTimeoutMs: number;
  verifyServerIdentity: boolean;
  trustedHosts?: readonly string[];
}

/** One file of the message, read from the internal storage. */
export interface MailPart {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Set on embedded images: the HTML refers to them as `cid:<name>`. */
  cid?: string;
}

export interface MailMessage {
  from: string;
  to: string[];
  cc?: string[];
  subject?: string;
  html?: string;
  text: string;
  attachments: MailPart[];
}

/** Sends one message over SMTP; resolves with the server's answer to the message (e.g. `250 OK: queued`). */
export async function sendMail(
  server: SmtpServer,
  message: MailMessage,
  policy: HttpPolicy,
  signal?: AbortSignal,
): Promise<string> {
  const name = server.host.trim();
  if (!name) throw new Error("'host' must be provided");
  const trusted = server.trustedHosts?.length ? server.trustedHosts : undefined;
  if (trusted && !trusted.includes(name)) {
    throw new Error(`host '${name}' is not one of the trustedHosts (${trusted.join(", ")})`);
  }
  // The server's address goes through the outbound-address policy of core.http.Request, and the
  // connection goes to the checked address (TLS still verifies the certificate against the name).
  const address = await resolveChecked(name, policy);
  const secure = server.transportStrategy === "SMTPS";
  const transport = nodemailer.createTransport({
    host: address,
    port: server.port ?? DEFAULT_PORT[server.transportStrategy],
    secure,
    requireTLS: server.transportStrategy === "SMTP_TLS",
    // The certificate is checked against the name the flow gave, not the address connected to. A host
    // listed in trustedHosts is trusted as JavaMail's mail.smtp.ssl.trust does: its chain is not validated.
    servername: isIP(name) ? undefined : name,
    tls: {
      servername: isIP(name) ? undefined : name,
      rejectUnauthorized: server.verifyServerIdentity && !trusted,
    },
    ...(server.username !== undefined
      ? { auth: { user: server.username, pass: server.password ?? "" } }
      : {}),
    connectionTimeout: server.sessionTimeoutMs,
    greetingTimeout: server.sessionTimeoutMs,
    socketTimeout: server.sessionTimeoutMs,
  } as nodemailer.TransportOptions);
  const abort = () => transport.close();
  signal?.addEventListener("abort", abort, { once: true });
  try {
    const info = await transport.sendMail({
      from: message.from,
      to: message.to,
      ...(message.cc?.length ? { cc: message.cc } : {}),
      ...(message.subject !== undefined ? { subject: message.subject } : {}),
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {}),
      attachments: message.attachments.map((part) => ({
        filename: part.filename,
        content: part.content,
        contentType: part.contentType,
        ...(part.cid !== undefined ? { cid: part.cid } : {}),
      })),
    });
    return String(info.response ?? "");
  } finally {
    signal?.removeEventListener("abort", abort);
    transport.close();
  }
}

/** `a@x.com; "Doe, J" <j@x.com>` -> the addresses; Kestra separates recipients with semicolons. */
export function recipients(text: string | undefined): string[] {
  return (text ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean);
}

import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { HttpPolicy, TaskServices } from "@/engine/plugin";
import { isAllowedAddress } from "../core/http/address-policy";

/** A JDBC URL taken apart: what a Node driver needs to connect. */
export interface JdbcTarget {
  /** The host as written (for TLS server names and messages). */
  host: string;
  port: number;
  database?: string;
  /** The URL's query parameters (`user`, `password`, `ssl`, `sslmode`...). */
  params: URLSearchParams;
}

/**
 * Parses `jdbc:<scheme>://host[:port][/database][?params]` (also `jdbc:postgresql:database`, meaning
 * localhost). Several hosts (failover lists) are not supported: the error says so.
 */
export function parseJdbcUrl(url: string, schemes: readonly string[], defaultPort: number): JdbcTarget {
  const match = /^jdbc:([a-z0-9]+):(.*)$/i.exec(url.trim());
  const scheme = match?.[1]?.toLowerCase();
  if (!match || !scheme || !schemes.includes(scheme))
    throw new Error(
      `url must be a JDBC URL such as jdbc:${schemes[0]}://host:${defaultPort}/database, got '${url}'`,
    );
  let rest = match[2] ?? "";
  if (!rest.startsWith("//")) rest = `//localhost/${rest}`;
  const authority = rest.slice(2).split(/[/?]/)[0] ?? "";
  if (authority.includes(","))
    throw new Error(`url: several hosts (${authority}) are not supported; give one host`);
  let parsed: URL;
  try {
    parsed = new URL(`http:${rest}`);
  } catch {
    throw new Error(`url '${url}' is not a valid JDBC URL`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new Error(`url '${url}' has no host`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  const params = parsed.searchParams;
  // Credentials in the authority (`user:password@host`) are accepted like the query's user/password.
  if (parsed.username && !params.has("user")) params.set("user", decodeURIComponent(parsed.username));
  if (parsed.password && !params.has("password")) params.set("password", decodeURIComponent(parsed.password));
  return {
    host,
    port: parsed.port ? Number(parsed.port) : defaultPort,
    ...(database ? { database } : {}),
    params,
  };
}

/** Refused by the outbound-address policy, before any packet was sent. */
export class ConnectionRefusedError extends Error {}

/**
 * The address to connect to: the host's addresses (resolved once, by the policy's resolver in tests) must
 * all be allowed by the policy HTTP tasks follow (non-public addresses refused unless allowed), and the
 * driver is then given that checked address rather than the name, so a second resolution cannot differ.
 */
export async function checkedAddress(host: string, services: TaskServices): Promise<string> {
  const policy: HttpPolicy = services.httpPolicy ?? { allowPrivateNetworks: false };
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      const found = policy.resolve ? await policy.resolve(host) : await lookup(host, { all: true });
      addresses = found.map((a) => a.address);
    } catch (error) {
      throw new Error(`cannot resolve database host ${host}: ${(error as Error).message}`);
    }
  }
  if (addresses.length === 0) throw new Error(`database host ${host} has no address`);
  const refused = addresses.find((address) => !isAllowedAddress(address, policy));
  if (refused !== undefined)
    throw new ConnectionRefusedError(
      `connection to ${host === refused ? host : `${host} (${refused})`} refused: private and loopback addresses are blocked (CADENZA_HTTP_ALLOWED_NETWORKS allows ranges)`,
    );
  return addresses[0] as string;
}

/** The user and password: the task's properties first, then the URL's `user`/`password` parameters. */
export function credentials(
  target: JdbcTarget,
  p: { username?: string | undefined; password?: string | undefined },
): { user?: string; password?: string } {
  const user = p.username ?? target.params.get("user") ?? undefined;
  const password = p.password ?? target.params.get("password") ?? undefined;
  return { ...(user !== undefined ? { user } : {}), ...(password !== undefined ? { password } : {}) };
}

// The client's address, for rate limits and the audit log — one answer, computed once per request by
// Cadenza's own HTTP server (server/runtime/web.ts) from what a client cannot choose:
//   - the socket's remote address;
//   - when that address is one of CADENZA_TRUSTED_PROXIES, the right-most X-Forwarded-For entry that is
//     not a trusted proxy (each proxy appends the address it saw; entries left of the first untrusted
//     one were written by the client and mean nothing).
// The result is stamped into the request as `x-cadenza-client-ip` before Next sees it (any incoming
// header of that name is overwritten), and route handlers, server actions and tRPC read it through
// clientIp(). Nothing reads X-Forwarded-For anywhere else.
//
// CIDR matching is Node's own net.BlockList. Under `next dev` (no Cadenza server in front) nothing stamps
// or strips the header: requests without it count as the one address "unknown", and a client could send
// its own — acceptable for a development server only, which is all `next dev` is.
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

export const CLIENT_IP_HEADER = "x-cadenza-client-ip";
/** The address used when none is known: every such request shares one set of per-address limits. */
export const UNKNOWN_ADDRESS = "unknown";

/** `::ffff:192.0.2.1` -> `192.0.2.1`; anything that is not an IP address -> undefined. */
export function normaliseAddress(value: string | undefined | null): string | undefined {
  let address = value?.trim();
  if (!address) return undefined;
  if (address.startsWith("[") && address.includes("]")) address = address.slice(1, address.indexOf("]"));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address)) address = address.slice(7);
  return isIP(address) ? address.toLowerCase() : undefined;
}

/** A BlockList of `10.0.0.0/8`, `192.0.2.7`, `fd00::/8`... (validated beforehand by server/env.ts). */
export function trustedProxyList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = "", prefix] = cidr.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address from the socket's and X-Forwarded-For. Without trusted proxies (the default)
 * it is the socket's, whatever the headers say.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: BlockList,
): string | undefined {
  const direct = normaliseAddress(socketAddress);
  if (!direct || !isTrusted(trusted, direct)) return direct;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  // Right to left: the first entry that is not one of our proxies is the client. An entry that is not an
  // address at all was not written by a proxy we trust, so the one to its right is the best we know.
  let client = direct;
  for (let index = chain.length - 1; index >= 0; index--) {
    const address = normaliseAddress(chain[index]);
    if (!address) return client;
    client = address;
    if (!isTrusted(trusted, address)) return address;
  }
  return client;
}

/** Overwrites the request's x-cadenza-client-ip with the resolved address (or removes it). */
export function stampClientAddress(request: IncomingMessage, trusted: BlockList): void {
  const address = resolveClientAddress(
    request.socket.remoteAddress,
    request.headers["x-forwarded-for"],
    trusted,
  );
  // Node keeps a header's raw form too (rawHeaders); Next builds its Headers from `headers`.
  delete request.headers[CLIENT_IP_HEADER];
  if (address) request.headers[CLIENT_IP_HEADER] = address;
}

/** The client's address as Cadenza's server stamped it; undefined when no Cadenza server did. */
export function clientIp(headers: Headers): string | undefined {
  return normaliseAddress(headers.get(CLIENT_IP_HEADER));
}

/**
 * The address to key per-address limits on: an IPv4 address as it is, an IPv6 address's /64 (one host
 * usually has a whole /64 to pick source addresses from), or UNKNOWN_ADDRESS.
 */
export function limitAddress(ip: string | undefined): string {
  const address = normaliseAddress(ip);
  if (!address) return UNKNOWN_ADDRESS;
  if (isIP(address) !== 6) return address;
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") ? (tail ? tail.split(":") : []) : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => (Number.parseInt(group, 16) || 0).toString(16))
    .join(":")}::/64`;
}

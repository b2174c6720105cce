// The client's address, for rate limits and the audit log. Next's server puts the socket address in
// X-Forwarded-For when the request has none; behind a proxy, the proxy appends the address it saw, so the
// last entry is the one a client cannot choose (unless it talks to the server directly: per-address limits
// are a brake, and each has a limit that does not depend on the address next to it).
export function clientIp(headers: Headers): string | undefined {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").pop()?.trim();
  const address = last || headers.get("x-real-ip")?.trim();
  if (!address) return undefined;
  return address.startsWith("::ffff:") ? address.slice(7) : address.slice(0, 64);
}

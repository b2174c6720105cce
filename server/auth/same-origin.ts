// Defence in depth against cross-site requests riding on the session cookie (which is already
// SameSite=Lax): a state-changing request authenticated by the cookie must not come with an Origin
// of another site. Token-authenticated requests carry no ambient credential and are not concerned.
export function crossSite(headers: Headers, requestUrl: string): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return origin === "null";
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  const hosts = new Set([new URL(requestUrl).host]);
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  if (forwarded) hosts.add(forwarded);
  const host = headers.get("host");
  if (host) hosts.add(host);
  return !hosts.has(originHost);
}

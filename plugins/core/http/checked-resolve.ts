import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { HttpPolicy } from "@/engine/plugin";
import { isAllowedAddress } from "./address-policy";

/**
 * Resolves a host once and checks every address against the outbound-address policy, for tasks that reach
 * the network through another client than core.http's (SMTP, git): they connect to the address returned
 * here, so a second resolution cannot answer differently (DNS rebinding).
 */
export async function resolveChecked(host: string, policy: HttpPolicy): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = isIP(bare)
    ? [{ address: bare, family: isIP(bare) }]
    : policy.resolve
      ? await policy.resolve(bare)
      : await lookup(bare, { all: true });
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  const refused = addresses.find((a) => !isAllowedAddress(a.address, policy));
  if (refused) {
    throw new Error(
      `connection to ${host} (${refused.address}) refused: private and local addresses are not allowed (set CADENZA_HTTP_ALLOWED_NETWORKS to allow some)`,
    );
  }
  return (addresses[0] as { address: string }).address;
}

// Which addresses an HTTP task or trigger may connect to. Addresses are classified by ipaddr.js (the
// library Express's proxy-addr and many SSRF guards use) rather than by ranges written here: a public
// address is one ipaddr.js calls `unicast`. IPv6 forms that carry an IPv4 address (IPv4-mapped,
// IPv4-compatible, SIIT, NAT64, 6to4) are judged by the IPv4 address they carry; Teredo is refused.
// Addresses reach this module already normalised: WHATWG URL parsing (Node's `new URL`) turns
// `2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` into `127.0.0.1`, and DNS answers are dotted quads.
import ipaddr from "ipaddr.js";
import type { HttpPolicy } from "@/engine/plugin";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed CIDR range (or a single address) an operator allows despite it being private. */
export type Network = [Address, number];

function parse(text: string): Address | undefined {
  const bare = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  // Only standard notation: the relaxed IPv4 forms were already normalised by URL parsing.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return undefined;
}

/** The IPv4 address an IPv6 address carries, when it is one of the forms that embed one. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  const v4 = (offset: number) => new ipaddr.IPv4(bytes.slice(offset, offset + 4));
  const range = address.range();
  if (range === "ipv4Mapped" || range === "rfc6145" || range === "rfc6052") return v4(12);
  if (range === "6to4") return v4(2);
  // IPv4-compatible (::a.b.c.d, deprecated): ipaddr.js has no name for it.
  if (bytes.slice(0, 12).every((b) => b === 0) && !["unspecified", "loopback"].includes(range)) return v4(12);
  return undefined;
}

/** The address a connection would really reach: IPv4 for the IPv6 forms that embed one. */
function effective(address: Address): Address {
  if (address.kind() === "ipv6") return embeddedIpv4(address as ipaddr.IPv6) ?? address;
  return address;
}

/** True when an IP address is public: not loopback, private, link-local, CGNAT, multicast, reserved... */
export function isPublicAddress(text: string): boolean {
  const parsed = parse(text);
  if (!parsed) return false;
  const address = effective(parsed);
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).range() === "teredo") return false;
  // 64:ff9b:1::/48 is for local use: its embedded address sits in no fixed place.
  if (parsed.kind() === "ipv6" && parsed.match(ipaddr.IPv6.parse("64:ff9b:1::"), 48)) return false;
  return address.range() === "unicast";
}

/**
 * Parses `10.0.0.0/8,127.0.0.1/32,fd00::/8` (a bare address means that one address). Returns the ranges,
 * or the first entry that is not one.
 */
export function parseNetworks(text: string): { networks: Network[] } | { invalid: string } {
  const networks: Network[] = [];
  for (const entry of text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (entry.includes("/")) {
      const [text = "", bits = ""] = entry.split("/");
      if (!parse(text) || !ipaddr.isValidCIDR(entry)) return { invalid: entry };
      const [address, prefix] = ipaddr.parseCIDR(`${text}/${bits}`);
      const mapped = address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress();
      if (mapped && prefix >= 96) networks.push([(address as ipaddr.IPv6).toIPv4Address(), prefix - 96]);
      else networks.push([address, prefix]);
    } else {
      const address = parse(entry);
      if (!address) return { invalid: entry };
      const real = effective(address);
      networks.push([real, real.kind() === "ipv4" ? 32 : 128]);
    }
  }
  return { networks };
}

/** True when the policy lets a connection go to `text` (an IP address). */
export function isAllowedAddress(
  text: string,
  policy: Pick<HttpPolicy, "allowPrivateNetworks" | "allowedNetworks">,
): boolean {
  if (policy.allowPrivateNetworks) return true;
  if (isPublicAddress(text)) return true;
  const parsed = parse(text);
  if (!parsed || !policy.allowedNetworks?.length) return false;
  const address = effective(parsed);
  const parsedNetworks = parseNetworks(policy.allowedNetworks.join(","));
  if ("invalid" in parsedNetworks) return false;
  return parsedNetworks.networks.some(
    ([network, prefix]) => network.kind() === address.kind() && address.match(network, prefix),
  );
}

import { isIPv4, isIPv6 } from "node:net";
import { NewsarkError } from "../model/errors.js";

/** An address network: the first `prefix` bits of `bytes` (4 bytes for IPv4, 16 for IPv6). */
export interface Cidr {
  bytes: Uint8Array;
  prefix: number;
}

/** The verdict on one address: allowed, or refused with a short reason a user can read. */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides which addresses untrusted URLs may reach: public addresses always, special ones only inside allowNetworks.
 *
 * @example
 * createAddressPolicy(["192.168.1.0/24"]).check("192.168.1.7"); // { allowed: true }
 */
export interface AddressPolicy {
  check(address: string): AddressVerdict;
}

/** Parses an IPv4 or IPv6 address (brackets and an IPv6 zone allowed) into 4 or 16 bytes; undefined if not an address. */
export function parseIp(text: string): Uint8Array | undefined {
  let s = text.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  // Zone ids (fe80::1%eth0) name an interface, not part of the address.
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (isIPv4(s)) return parseIPv4(s);
  if (isIPv6(s)) return parseIPv6(s);
  return undefined;
}

function parseIPv4(s: string): Uint8Array {
  return Uint8Array.from(s.split(".").map((part) => Number(part)));
}

function parseIPv6(s: string): Uint8Array | undefined {
  const bytes = new Uint8Array(16);
  let text = s;
  // A trailing dotted quad (::ffff:1.2.3.4) fills the last 32 bits.
  let tail: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    const quad = text.slice(lastColon + 1);
    if (!isIPv4(quad)) return undefined;
    tail = parseIPv4(quad);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const groups =
    halves.length === 2
      ? [...head, ...new Array<string>(8 - head.length - rest.length).fill("0"), ...rest]
      : head;
  if (groups.length !== 8) return undefined;
  for (const [i, group] of groups.entries()) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  }
  if (tail) bytes.set(tail, 12);
  return bytes;
}

/** Formats 4 or 16 address bytes back into text (IPv6 without zero compression). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(":");
}

/** Parses "10.0.0.0/8", "fd00::/8" or a bare address (a single-host network); undefined if malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  const addressText = slash >= 0 ? text.slice(0, slash) : text;
  if (addressText.includes("%")) return undefined;
  const bytes = parseIp(addressText);
  if (!bytes) return undefined;
  const bits = bytes.length * 8;
  if (slash < 0) return { bytes, prefix: bits };
  const prefixText = text.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  return { bytes, prefix };
}

function prefixMatches(ip: Uint8Array, net: Uint8Array, prefix: number): boolean {
  if (ip.length !== net.length) return false;
  const whole = Math.floor(prefix / 8);
  for (let i = 0; i < whole; i++) if (ip[i] !== net[i]) return false;
  const restBits = prefix % 8;
  if (restBits === 0) return true;
  const mask = (0xff << (8 - restBits)) & 0xff;
  return ((ip[whole] ?? 0) & mask) === ((net[whole] ?? 0) & mask);
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), if it is one. */
export function unmapIPv4(ip: Uint8Array): Uint8Array | undefined {
  if (ip.length !== 16) return undefined;
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return undefined;
  if (ip[10] !== 0xff || ip[11] !== 0xff) return undefined;
  return ip.slice(12);
}

/** True when `ip` lies inside `cidr`; IPv4-mapped IPv6 addresses match IPv4 networks, as the kernel routes them so. */
export function cidrContains(cidr: Cidr, ip: Uint8Array): boolean {
  if (prefixMatches(ip, cidr.bytes, cidr.prefix)) return true;
  const mapped = unmapIPv4(ip);
  return mapped !== undefined && cidr.bytes.length === 4 && prefixMatches(mapped, cidr.bytes, cidr.prefix);
}

interface SpecialRange {
  cidr: Cidr;
  reason: string;
}

function ranges(list: Array<[string, string]>): SpecialRange[] {
  return list.map(([text, reason]) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`fetch: bad built-in network ${text}`);
    return { cidr, reason };
  });
}

// INFO: IANA IPv4 Special-Purpose Address Registry, minus ranges that are globally reachable (e.g. AS112).
const specialIPv4 = ranges([
  ["0.0.0.0/8", "unspecified address"],
  ["10.0.0.0/8", "private network"],
  ["100.64.0.0/10", "shared address space (CGNAT)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private network"],
  ["192.0.0.0/24", "reserved"],
  ["192.0.2.0/24", "documentation network"],
  ["192.168.0.0/16", "private network"],
  ["198.18.0.0/15", "benchmarking network"],
  ["198.51.100.0/24", "documentation network"],
  ["203.0.113.0/24", "documentation network"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
]);

const specialIPv6 = ranges([
  ["::/128", "unspecified address"],
  ["::1/128", "loopback"],
  ["64:ff9b:1::/48", "local NAT64"],
  ["100::/64", "discard-only network"],
  ["2001::/32", "Teredo tunnel"],
  ["2001:db8::/32", "documentation network"],
  ["fc00::/7", "unique-local"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local"],
  ["ff00::/8", "multicast"],
]);

const globalUnicastIPv6 = parseCidr("2000::/3") as Cidr;
const nat64 = parseCidr("64:ff9b::/96") as Cidr;
const sixToFour = parseCidr("2002::/16") as Cidr;

/** Why an address is not a public one (e.g. "private network"), or undefined for public addresses. */
export function specialAddressReason(ip: Uint8Array): string | undefined {
  if (ip.length === 4) return specialIPv4.find((r) => prefixMatches(ip, r.cidr.bytes, r.cidr.prefix))?.reason;
  const own = specialIPv6.find((r) => prefixMatches(ip, r.cidr.bytes, r.cidr.prefix))?.reason;
  if (own) return own;
  // IPv6 forms that carry an IPv4 address reach that IPv4 address, so it decides.
  const mapped = unmapIPv4(ip);
  if (mapped) return embedded(mapped, "IPv4-mapped");
  if (prefixMatches(ip, nat64.bytes, nat64.prefix)) return embedded(ip.slice(12), "NAT64");
  if (prefixMatches(ip, sixToFour.bytes, sixToFour.prefix)) return embedded(ip.slice(2, 6), "6to4");
  // Everything outside 2000::/3 is unassigned or reserved (IPv4-compatible ::a.b.c.d included).
  if (!prefixMatches(ip, globalUnicastIPv6.bytes, globalUnicastIPv6.prefix)) return "reserved";
  return undefined;
}

function embedded(v4: Uint8Array, how: string): string | undefined {
  const reason = specialAddressReason(v4);
  return reason ? `${reason}, ${how}` : undefined;
}

/**
 * Builds the policy for untrusted URLs; throws a config NewsarkError for a malformed CIDR so a typo never widens access.
 *
 * @example
 * createAddressPolicy([]).check("10.0.0.1"); // { allowed: false, reason: "private network" }
 */
export function createAddressPolicy(allowNetworks: readonly string[]): AddressPolicy {
  const allowed = allowNetworks.map((text) => {
    const cidr = parseCidr(text.trim());
    if (!cidr)
      throw new NewsarkError("config", `fetch: allowNetworks: "${text}" is not a CIDR like 10.0.0.0/8`);
    return cidr;
  });
  return {
    check(address) {
      const ip = parseIp(address);
      if (!ip) return { allowed: false, reason: "not an IP address" };
      if (allowed.some((cidr) => cidrContains(cidr, ip))) return { allowed: true };
      const reason = specialAddressReason(ip);
      return reason ? { allowed: false, reason } : { allowed: true };
    },
  };
}

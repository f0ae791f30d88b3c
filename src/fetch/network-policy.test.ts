import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NewsarkError } from "../model/errors.js";
import { cidrContains, createAddressPolicy, formatIp, parseCidr, parseIp } from "./network-policy.js";

describe("parseIp", () => {
  it("reads IPv4, IPv6, compressed IPv6, embedded dotted quads, brackets and zones", () => {
    assert.deepEqual([...(parseIp("10.1.2.3") ?? [])], [10, 1, 2, 3]);
    assert.equal(formatIp(parseIp("::1") as Uint8Array), "0:0:0:0:0:0:0:1");
    assert.equal(
      formatIp(parseIp("2001:db8::8:800:200c:417a") as Uint8Array),
      "2001:db8:0:0:8:800:200c:417a",
    );
    assert.equal(formatIp(parseIp("::ffff:192.168.1.1") as Uint8Array), "0:0:0:0:0:ffff:c0a8:101");
    assert.equal(formatIp(parseIp("[fe80::1%eth0]") as Uint8Array), "fe80:0:0:0:0:0:0:1");
    assert.equal(formatIp(parseIp("1:2:3:4:5:6:7:8") as Uint8Array), "1:2:3:4:5:6:7:8");
  });

  it("refuses things that are not addresses", () => {
    for (const text of [
      "",
      "localhost",
      "256.1.1.1",
      "1.2.3",
      "1::2::3",
      "12345::",
      "::ffff:1.2.3.999",
      "0x7f.0.0.1",
    ]) {
      assert.equal(parseIp(text), undefined, text);
    }
  });
});

describe("parseCidr and cidrContains", () => {
  it("matches by prefix, including prefixes that split a byte", () => {
    const cgnat = parseCidr("100.64.0.0/10") as NonNullable<ReturnType<typeof parseCidr>>;
    assert.ok(cidrContains(cgnat, parseIp("100.127.255.255") as Uint8Array));
    assert.ok(!cidrContains(cgnat, parseIp("100.128.0.0") as Uint8Array));
    assert.ok(!cidrContains(cgnat, parseIp("100.63.255.255") as Uint8Array));
  });

  it("treats a bare address as a single host and /0 as everything of that family", () => {
    const one = parseCidr("192.0.2.7") as NonNullable<ReturnType<typeof parseCidr>>;
    assert.equal(one.prefix, 32);
    assert.ok(!cidrContains(one, parseIp("192.0.2.8") as Uint8Array));
    const all6 = parseCidr("::/0") as NonNullable<ReturnType<typeof parseCidr>>;
    assert.ok(cidrContains(all6, parseIp("fd00::1") as Uint8Array));
    assert.ok(!cidrContains(all6, parseIp("10.0.0.1") as Uint8Array));
  });

  it("lets IPv4 networks match IPv4-mapped IPv6 addresses", () => {
    const net = parseCidr("127.0.0.0/8") as NonNullable<ReturnType<typeof parseCidr>>;
    assert.ok(cidrContains(net, parseIp("::ffff:127.0.0.1") as Uint8Array));
  });

  it("refuses malformed CIDRs", () => {
    for (const text of [
      "10.0.0.0/33",
      "::/129",
      "10.0.0.0/",
      "10.0.0.0/8/8",
      "10.0.0.0/-1",
      "example.com/8",
      "fe80::1%eth0/64",
    ]) {
      assert.equal(parseCidr(text), undefined, text);
    }
  });
});

describe("createAddressPolicy", () => {
  const policy = createAddressPolicy([]);

  it("allows public IPv4 and IPv6 addresses", () => {
    for (const address of [
      "8.8.8.8",
      "1.1.1.1",
      "100.128.0.1",
      "172.32.0.1",
      "2606:4700:4700::1111",
      "::ffff:8.8.8.8",
      "64:ff9b::808:808",
      "2002:808:808::1",
    ]) {
      assert.deepEqual(policy.check(address), { allowed: true }, address);
    }
  });

  const refused: Array<[string, string]> = [
    ["0.0.0.0", "unspecified address"],
    ["10.0.0.1", "private network"],
    ["100.64.0.1", "shared address space (CGNAT)"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["169.254.169.254", "link-local"],
    ["172.16.0.1", "private network"],
    ["172.31.255.255", "private network"],
    ["192.168.1.1", "private network"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::", "unspecified address"],
    ["::1", "loopback"],
    ["fe80::1", "link-local"],
    ["fd12:3456::1", "unique-local"],
    ["fc00::1", "unique-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback, IPv4-mapped"],
    ["::ffff:a9fe:a9fe", "link-local, IPv4-mapped"],
    ["64:ff9b::a00:1", "private network, NAT64"],
    ["2002:c0a8:101::1", "private network, 6to4"],
    ["::127.0.0.1", "reserved"],
  ];
  for (const [address, reason] of refused) {
    it(`refuses ${address} as ${reason}`, () => {
      assert.deepEqual(policy.check(address), { allowed: false, reason });
    });
  }

  it("refuses text that is not an address", () => {
    assert.deepEqual(policy.check("example.com"), { allowed: false, reason: "not an IP address" });
  });

  it("allows special addresses inside allowNetworks, IPv4 and IPv6, and nothing next to them", () => {
    const lan = createAddressPolicy(["192.168.1.0/24", "fd00:1::/32", "127.0.0.0/8"]);
    assert.deepEqual(lan.check("192.168.1.200"), { allowed: true });
    assert.deepEqual(lan.check("192.168.2.1"), { allowed: false, reason: "private network" });
    assert.deepEqual(lan.check("fd00:1:ffff::1"), { allowed: true });
    assert.deepEqual(lan.check("fd00:2::1"), { allowed: false, reason: "unique-local" });
    assert.deepEqual(lan.check("::ffff:127.0.0.1"), { allowed: true });
    assert.deepEqual(lan.check("::1"), { allowed: false, reason: "loopback" });
  });

  it("throws a config error for a malformed allowNetworks entry instead of ignoring it", () => {
    assert.throws(
      () => createAddressPolicy(["10.0.0.0/8", "10.0.0/8"]),
      (err: unknown) =>
        err instanceof NewsarkError && err.code === "config" && err.message.includes("10.0.0/8"),
    );
  });
});

import { describe, expect, it } from "vitest";
import { type AddressClass, classifyAddress, isPublicAddress } from "./classify-address";

// address (any notation) → class. Only "public" is dialled without a rule naming the host.
const CASES: readonly [string, AddressClass | null][] = [
  ["8.8.8.8", "public"],
  ["93.184.216.34", "public"],
  ["2606:4700::1111", "public"],
  ["[2606:4700::1111]", "public"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["2130706433", "loopback"],
  ["0x7f.1", "loopback"],
  ["::1", "loopback"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:0:7f00:1", "loopback"],
  ["2002:7f00:1::", "loopback"],
  ["10.0.0.1", "private"],
  ["172.16.5.4", "private"],
  ["192.168.1.1", "private"],
  ["100.64.0.1", "private"],
  ["fc00::1", "private"],
  ["fd12:3456::1", "private"],
  ["64:ff9b:1::a", "private"],
  ["169.254.1.1", "link-local"],
  ["fe80::1", "link-local"],
  ["169.254.169.254", "metadata"],
  ["169.254.170.2", "metadata"],
  ["100.100.100.200", "metadata"],
  ["168.63.129.16", "metadata"],
  ["fd00:ec2::254", "metadata"],
  ["::ffff:169.254.169.254", "metadata"],
  ["64:ff9b::a9fe:a9fe", "metadata"],
  ["2852039166", "metadata"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["::", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["ff02::1", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["192.0.2.1", "reserved"],
  ["198.18.0.1", "reserved"],
  ["240.0.0.1", "reserved"],
  ["2001:db8::1", "reserved"],
  ["::127.0.0.1", "reserved"],
  ["100::1", "reserved"],
  ["fec0::1", "reserved"],
  ["2001:0::1", "reserved"],
  ["slack.com", null],
  ["", null],
  ["fe80::1%eth0", null],
];

describe("classifyAddress", () => {
  it.each(CASES)("%s → %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it("isPublicAddress is false for anything that is not a public IP", () => {
    expect(isPublicAddress("8.8.8.8")).toBe(true);
    expect(isPublicAddress("10.0.0.1")).toBe(false);
    expect(isPublicAddress("not an ip")).toBe(false);
  });
});

import Testing

@testable import Payments

/// Merchants' IP allow-lists: addresses and CIDR blocks, IPv4, IPv6 and IPv4 mapped into IPv6.
@Suite struct AllowListTests {
    @Test func blocksContainTheirAddresses() {
        let cases: [(String, String, Bool)] = [
            ("10.0.0.0/8", "10.2.3.4", true), ("10.0.0.0/8", "11.0.0.1", false), ("203.0.113.7", "203.0.113.7", true),
            ("203.0.113.7", "203.0.113.8", false), ("::1", "::1", true), ("127.0.0.1", "::ffff:127.0.0.1", true),
            ("2001:db8::/32", "2001:db8:1::5", true), ("2001:db8::/32", "2001:db9::1", false), ("0.0.0.0/0", "8.8.8.8", true),
            ("1.2.3.4/33", "1.2.3.4", false), ("10.0.0.0/8", "not an address", false), ("10.0.0.0/8", "::1", false),
            ("192.168.1.0/25", "192.168.1.127", true), ("192.168.1.0/25", "192.168.1.128", false),
        ]
        for (block, address, expected) in cases {
            #expect(CIDRBlock.contains(block, address: address) == expected, "\(address) in \(block)")
        }
    }
}

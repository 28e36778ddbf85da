// A, AAAA, CNAME, NS, PTR, MX, SRV, SOA.
#include "rdata_cases.h"

namespace dnsplane::core::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(
    Address, AcceptedRdata,
    ::testing::Values(
        Accepted{"A", "192.0.2.1", "192.0.2.1"}, Accepted{"A", "  10.0.0.255\n", "10.0.0.255"},
        Accepted{"A", "0.0.0.0", "0.0.0.0"}, Accepted{"AAAA", "2001:db8::1", "2001:db8::1"},
        Accepted{"AAAA", "2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
        Accepted{"AAAA", "2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"},
        Accepted{"AAAA", "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
        Accepted{"AAAA", "::", "::"}, Accepted{"AAAA", "::FFFF:192.0.2.1", "::ffff:192.0.2.1"}));

INSTANTIATE_TEST_SUITE_P(
    Address, RejectedRdata,
    ::testing::Values(Rejected{"A", "192.0.2", {"IPv4", "192.0.2"}},
                      Rejected{"A", "192.0.2.256", {"IPv4"}}, Rejected{"A", "192.0.2.01", {"IPv4"}},
                      Rejected{"A", "2001:db8::1", {"IPv4"}},
                      Rejected{"A", "example.org.", {"IPv4"}},
                      Rejected{"A", "192.0.2.1 192.0.2.2", {"1 field", "got 2"}},
                      Rejected{"A", "\"192.0.2.1\"", {"IPv4"}}, Rejected{"A", "", {"empty"}},
                      Rejected{"A", "   ", {"empty"}}, Rejected{"AAAA", "192.0.2.1", {"IPv6"}},
                      Rejected{"AAAA", "2001:db8::1::2", {"IPv6"}},
                      Rejected{"AAAA", "2001:db8::g", {"IPv6"}},
                      Rejected{"AAAA", "fe80::1%eth0", {"IPv6"}}));

INSTANTIATE_TEST_SUITE_P(
    Names, AcceptedRdata,
    ::testing::Values(Accepted{"CNAME", "Target.Example.ORG.", "target.example.org."},
                      Accepted{"CNAME", "_acme-challenge.other.org.", "_acme-challenge.other.org."},
                      Accepted{"CNAME", "www", "www.example.org.", "example.org."},
                      Accepted{"CNAME", "@", "example.org.", "Example.org."},
                      Accepted{"NS", "NS1.example.net.", "ns1.example.net."},
                      Accepted{"NS", "ns1", "ns1.example.org.", "example.org."},
                      Accepted{"PTR", "host.example.org.", "host.example.org."},
                      Accepted{"PTR", "host", "host.", "."},
                      // Any name Knot DNS's zone parser takes (issue 16): wildcard
                      // and leading-hyphen labels, the root, escapes.
                      Accepted{"CNAME", "*.example.org.", "*.example.org."},
                      Accepted{"CNAME", ".", "."},
                      Accepted{"NS", "-ns.example.org.", "-ns.example.org."},
                      Accepted{"PTR", ".", "."},
                      Accepted{"CNAME", "a\\032b.example.org.", "a\\032b.example.org."}));

INSTANTIATE_TEST_SUITE_P(
    Names, RejectedRdata,
    ::testing::Values(Rejected{"CNAME", "www.example.org", {"cname", "not fully qualified", "dot"}},
                      Rejected{"CNAME", "a..example.org.", {"cname", "empty label"}},
                      Rejected{"CNAME", "a.example. b.example.", {"1 field", "cname"}},
                      Rejected{"CNAME", "@", {"origin"}},
                      Rejected{"NS", "ns1", {"nsdname", "not fully qualified"}},
                      Rejected{"NS", "ns_1!.example.org.", {"nsdname", "'!'", "escape"}},
                      Rejected{"PTR", "host", {"ptrdname", "not fully qualified"}},
                      Rejected{
                          "PTR", std::string(64, 'a') + ".example.", {"ptrdname", "63 octets"}},
                      // Completing a relative name with the origin may exceed 255 octets.
                      Rejected{"CNAME",
                               std::string(63, 'a') + "." + std::string(63, 'a'),
                               {"255 octets"},
                               std::string(63, 'b') + "." + std::string(63, 'b') + "."}));

INSTANTIATE_TEST_SUITE_P(
    Mx, AcceptedRdata,
    ::testing::Values(Accepted{"MX", "10 Mail.Example.org.", "10 mail.example.org."},
                      Accepted{"MX", "010   mail.example.org.", "10 mail.example.org."},
                      Accepted{"MX", "0 .", "0 ."},
                      Accepted{"MX", "65535 mx.example.org.", "65535 mx.example.org."},
                      Accepted{"MX", "5 mail", "5 mail.example.org.", "example.org."}));

INSTANTIATE_TEST_SUITE_P(
    Mx, RejectedRdata,
    ::testing::Values(
        Rejected{"MX", "70000 mail.example.org.", {"preference", "0-65535", "70000"}},
        Rejected{"MX", "65536 mail.example.org.", {"preference", "0-65535", "65536"}},
        Rejected{"MX", "-1 mail.example.org.", {"preference", "integer"}},
        Rejected{"MX", "ten mail.example.org.", {"preference", "integer", "ten"}},
        Rejected{"MX", "+10 mail.example.org.", {"preference", "integer"}},
        Rejected{"MX", "99999999999999999999999 mail.example.org.", {"preference", "0-65535"}},
        Rejected{"MX", "10", {"2 fields", "preference exchange", "got 1"}},
        Rejected{"MX", "mail.example.org.", {"2 fields"}},
        Rejected{"MX", "10 mail.example.org. extra", {"2 fields", "got 3"}},
        Rejected{"MX", "10 mail.example.org", {"exchange", "not fully qualified"}},
        Rejected{"MX", "10 mail!.example.org.", {"exchange", "'!'"}},
        Rejected{"MX", "\"10\" mail.example.org.", {"preference", "integer"}}));

INSTANTIATE_TEST_SUITE_P(Srv, AcceptedRdata,
                         ::testing::Values(Accepted{"SRV", "10 0 8080 Host.Example.org.",
                                                    "10 0 8080 host.example.org."},
                                           Accepted{"SRV", "0 0 0 .", "0 0 0 ."},
                                           Accepted{"SRV", "65535 65535 65535 sip.example.org.",
                                                    "65535 65535 65535 sip.example.org."},
                                           Accepted{"SRV", "01 02 0443 sip",
                                                    "1 2 443 sip.example.org.", "example.org."}));

INSTANTIATE_TEST_SUITE_P(
    Srv, RejectedRdata,
    ::testing::Values(
        Rejected{"SRV", "65536 0 80 sip.example.org.", {"priority", "0-65535", "65536"}},
        Rejected{"SRV", "1 65536 80 sip.example.org.", {"weight", "0-65535", "65536"}},
        Rejected{"SRV", "1 1 65536 sip.example.org.", {"port", "0-65535", "65536"}},
        Rejected{"SRV", "1 1 http sip.example.org.", {"port", "integer", "http"}},
        Rejected{"SRV", "1 1 80", {"4 fields", "priority weight port target", "got 3"}},
        Rejected{"SRV", "1 1 80 sip.example.org", {"target", "not fully qualified"}},
        Rejected{"SRV", "1 1 80 sip(.example.org.", {"target", "'('"}}));

INSTANTIATE_TEST_SUITE_P(KnotTargets, AcceptedRdata,
                         ::testing::Values(Accepted{"MX", "10 *.example.org.", "10 *.example.org."},
                                           Accepted{"SRV", "1 1 80 *.example.org.",
                                                    "1 1 80 *.example.org."}));

INSTANTIATE_TEST_SUITE_P(
    Soa, AcceptedRdata,
    ::testing::Values(
        Accepted{"SOA", "NS1.Example.org. HostMaster.Example.org. 1 3500 600 86400 3600",
                 "ns1.example.org. hostmaster.example.org. 1 3500 600 86400 3600"},
        Accepted{"SOA", "ns1 admin 4294967295 0 0 0 0",
                 "ns1.example.org. admin.example.org. 4294967295 0 0 0 0", "example.org."},
        // The rname's first label is a mailbox and may hold characters hosts may not.
        Accepted{"SOA", "ns.example. first\\.last.example. 2024010101 7200 3600 1209600 300",
                 "ns.example. first\\.last.example. 2024010101 7200 3600 1209600 300"}));

INSTANTIATE_TEST_SUITE_P(
    Soa, RejectedRdata,
    ::testing::Values(
        Rejected{"SOA",
                 "ns.example. admin.example. 4294967296 1 1 1 1",
                 {"serial", "0-4294967295", "4294967296"}},
        Rejected{"SOA", "ns.example. admin.example. 1 x 1 1 1", {"refresh", "integer"}},
        Rejected{"SOA", "ns.example. admin.example. 1 1 -1 1 1", {"retry", "integer"}},
        Rejected{"SOA", "ns.example. admin.example. 1 1 1 1e3 1", {"expire", "integer"}},
        Rejected{"SOA", "ns.example. admin.example. 1 1 1 1 1.5", {"minimum", "integer"}},
        Rejected{"SOA", "ns.example. admin.example. 1 1 1 1", {"7 fields", "got 6"}},
        Rejected{"SOA", "ns admin.example. 1 1 1 1 1", {"mname", "not fully qualified"}},
        Rejected{"SOA", "ns.example. admin 1 1 1 1 1", {"rname", "not fully qualified"}},
        Rejected{"SOA", "*.example. admin.example. 1 1 1 1 1", {"mname", "valid host name"}}));

}  // namespace
}  // namespace dnsplane::core::testing

// SOA helpers without a store: serial arithmetic (RFC 1982), RNAME from a
// mailbox, the primary nameserver and the SOA data layout.
#include "service/soa.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace dnsplane::service {
namespace {

TEST(Serial, IncrementWrapsAtTwoToTheThirtyTwo) {
    EXPECT_EQ(next_serial(1), 2u);
    EXPECT_EQ(next_serial(2147483647u), 2147483648u);
    EXPECT_EQ(next_serial(4294967295u), 0u);
}

TEST(Serial, ComparisonFollowsSequenceSpace) {
    EXPECT_TRUE(serial_before(1, 2));
    EXPECT_FALSE(serial_before(2, 1));
    EXPECT_FALSE(serial_before(5, 5));
    EXPECT_TRUE(serial_before(4294967295u, 0));  // wrapped: 0 follows 2^32-1
    EXPECT_FALSE(serial_before(0, 4294967295u));
    EXPECT_TRUE(serial_before(4000000000u, 100));
}

TEST(Serial, InitialSerialIsUnixTime) {
    auto s = initial_serial();
    EXPECT_GT(s, 1700000000u);  // after Nov 2023
}

TEST(Rname, MailboxBecomesADomainName) {
    EXPECT_EQ(mailbox_to_rname("hostmaster@example.org"), "hostmaster.example.org.");
    EXPECT_EQ(mailbox_to_rname("first.last@Example.ORG"), "first\\.last.example.org.");
    EXPECT_EQ(mailbox_to_rname("a@example.org."), "a.example.org.");
    EXPECT_THROW(mailbox_to_rname("no-at-sign"), core::Error);
}

TEST(Soa, DataHasMnameRnameSerialAndTimers) {
    core::Pool pool;
    pool.ns_records = {{"ns2.example.net", 5}, {"NS1.example.net.", 1}, {"ns0.example.net.", 1}};
    EXPECT_EQ(primary_nameserver(pool), "ns1.example.net.");

    core::Zone z;
    z.name = "example.org.";
    z.email = "dns@example.org";
    z.serial = 42;
    z.refresh = 100;
    z.retry = 20;
    z.expire = 3000;
    z.minimum = 60;
    EXPECT_EQ(soa_rdata(z, pool), "ns1.example.net. dns.example.org. 42 100 20 3000 60");

    core::Pool empty;
    EXPECT_THROW(primary_nameserver(empty), core::Error);
}

}  // namespace
}  // namespace dnsplane::service

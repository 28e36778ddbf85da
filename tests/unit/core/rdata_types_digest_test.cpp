// SSHFP and DS.
#include "rdata_cases.h"

namespace dnsplane::core::testing {
namespace {

const std::string kSha1 = "123456789abcdef67890123456789abcdef67890";
const std::string kSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kSha384(96, 'a');

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

INSTANTIATE_TEST_SUITE_P(
    Sshfp, AcceptedRdata,
    ::testing::Values(Accepted{"SSHFP", "2 1 " + kSha1, "2 1 " + kSha1},
                      Accepted{"SSHFP", "1 1 " + upper(kSha1), "1 1 " + kSha1},
                      Accepted{"SSHFP", "3 2 " + kSha256, "3 2 " + kSha256},
                      Accepted{"SSHFP", "4 2 " + kSha256.substr(0, 32) + " " + kSha256.substr(32),
                               "4 2 " + kSha256},
                      Accepted{"SSHFP", "06 01 " + kSha1, "6 1 " + kSha1},
                      // Any algorithm, type and fingerprint length, as Knot DNS's
                      // zone parser takes them (issue 16).
                      Accepted{"SSHFP", "5 1 " + kSha1, "5 1 " + kSha1},
                      Accepted{"SSHFP", "0 0 00", "0 0 00"},
                      Accepted{"SSHFP", "255 255 AB", "255 255 ab"},
                      Accepted{"SSHFP", "1 2 " + kSha1, "1 2 " + kSha1},
                      Accepted{"SSHFP", "1 1 ab cd", "1 1 abcd"}));

INSTANTIATE_TEST_SUITE_P(
    Sshfp, RejectedRdata,
    ::testing::Values(Rejected{"SSHFP", "256 1 " + kSha1, {"algorithm", "0-255", "256"}},
                      Rejected{"SSHFP", "rsa 1 " + kSha1, {"algorithm", "integer"}},
                      Rejected{"SSHFP", "1 256 " + kSha1, {"fingerprint type", "0-255"}},
                      Rejected{
                          "SSHFP", "1 1 " + kSha1.substr(1) + "g", {"fingerprint", "hexadecimal"}},
                      Rejected{"SSHFP", "1 1 abc", {"fingerprint", "even number"}},
                      Rejected{"SSHFP", "1 1", {"at least 3 fields", "algorithm type fingerprint"}},
                      Rejected{"SSHFP", "1 1 \"" + kSha1 + "\"", {"fingerprint", "quoted"}}));

INSTANTIATE_TEST_SUITE_P(
    DsMnemonics, AcceptedRdata,
    ::testing::Values(Accepted{"DS", "1 RSASHA256 2 " + kSha256, "1 8 2 " + kSha256},
                      Accepted{"DS", "1 ecdsap256sha256 2 " + kSha256, "1 13 2 " + kSha256},
                      Accepted{"DS", "1 ED25519 2 " + kSha256, "1 15 2 " + kSha256}));

INSTANTIATE_TEST_SUITE_P(
    Ds, AcceptedRdata,
    ::testing::Values(Accepted{"DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
                               "60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118"},
                      Accepted{"DS", "12345 13 2 " + kSha256, "12345 13 2 " + kSha256},
                      Accepted{"DS", "0 0 4 " + kSha384, "0 0 4 " + kSha384},
                      Accepted{"DS",
                               "65535 255 2 " + upper(kSha256.substr(0, 20)) + " " +
                                   kSha256.substr(20, 20) + "\t" + kSha256.substr(40),
                               "65535 255 2 " + kSha256},
                      Accepted{"DS", "00001 008 02 " + kSha256, "1 8 2 " + kSha256}));

INSTANTIATE_TEST_SUITE_P(
    Ds, RejectedRdata,
    ::testing::Values(
        Rejected{"DS", "65536 8 2 " + kSha256, {"key tag", "0-65535", "65536"}},
        Rejected{"DS", "1 256 2 " + kSha256, {"algorithm", "0-255", "256"}},
        Rejected{"DS", "1 NOSUCHALG 2 " + kSha256, {"algorithm", "integer", "NOSUCHALG"}},
        Rejected{"DS", "1 8 3 " + kSha256, {"digest type", "SHA-384", "got 3"}},
        Rejected{"DS", "1 8 0 " + kSha256, {"digest type", "got 0"}},
        Rejected{"DS", "1 8 1 " + kSha256, {"digest", "40 hex digits", "got 64"}},
        Rejected{"DS", "1 8 2 " + kSha1, {"digest", "64 hex digits", "got 40"}},
        Rejected{"DS", "1 8 4 " + kSha256, {"digest", "96 hex digits"}},
        Rejected{"DS", "1 8 2 " + kSha256.substr(1) + "z", {"digest", "hexadecimal"}},
        Rejected{"DS", "1 8 2", {"at least 4 fields", "key_tag algorithm digest_type digest"}}));

}  // namespace
}  // namespace dnsplane::core::testing

// Observers of committed changes (the DNS server's zone catalog, NOTIFY,
// later change hooks). Called after commit and before the API answers, so a
// 2xx means every sink has seen the change.
#pragma once

#include "core/model.h"

namespace dnsplane::service {

class ChangeSink {
public:
    virtual ~ChangeSink() = default;
    virtual void on_commit(const core::ZoneChange& change) = 0;
};

}  // namespace dnsplane::service

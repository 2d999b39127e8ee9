#pragma once
// ACL records: Id := ustring scheme, ustring id;  ACL := int perms, Id id.

#include "proto/jute_reader.h"
#include "proto/jute_writer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace zk {

struct Id
{
    std::string scheme;
    std::string id;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const Id&) const = default;
    auto operator<=>(const Id&) const = default;
};

struct Acl
{
    std::int32_t perms = 0;
    Id id;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const Acl&) const = default;
    auto operator<=>(const Acl&) const = default;
};

using AclList = std::vector<Acl>;

void writeAclList(JuteWriter& w, const AclList& acls);
AclList readAclList(JuteReader& r);

// ZooDefs.Ids.OPEN_ACL_UNSAFE and READ_ACL_UNSAFE.
AclList openAclUnsafe();
AclList readAclUnsafe();

} // namespace zk

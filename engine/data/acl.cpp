#include "data/acl.h"

#include "proto/opcodes.h"

namespace zk {

void Id::write(JuteWriter& w) const
{
    w.writeString(scheme);
    w.writeString(id);
}

void Id::read(JuteReader& r)
{
    scheme = r.readString();
    id = r.readString();
}

void Acl::write(JuteWriter& w) const
{
    w.writeInt(perms);
    id.write(w);
}

void Acl::read(JuteReader& r)
{
    perms = r.readInt();
    id.read(r);
}

void writeAclList(JuteWriter& w, const AclList& acls)
{
    w.writeVector(acls, [](JuteWriter& out, const Acl& acl) { acl.write(out); });
}

AclList readAclList(JuteReader& r)
{
    // An ACL is at least 12 bytes: perms plus two string lengths.
    return r.readVector<Acl>(
        [](JuteReader& in) {
            Acl acl;
            acl.read(in);
            return acl;
        },
        12);
}

AclList openAclUnsafe()
{
    return {Acl{perms::All, Id{"world", "anyone"}}};
}

AclList readAclUnsafe()
{
    return {Acl{perms::Read, Id{"world", "anyone"}}};
}

} // namespace zk

#include "data/stat.h"

namespace zk {

void StatPersisted::write(JuteWriter& w) const
{
    w.writeLong(czxid);
    w.writeLong(mzxid);
    w.writeLong(ctime);
    w.writeLong(mtime);
    w.writeInt(version);
    w.writeInt(cversion);
    w.writeInt(aversion);
    w.writeLong(ephemeralOwner);
    w.writeLong(pzxid);
}

void StatPersisted::read(JuteReader& r)
{
    czxid = r.readLong();
    mzxid = r.readLong();
    ctime = r.readLong();
    mtime = r.readLong();
    version = r.readInt();
    cversion = r.readInt();
    aversion = r.readInt();
    ephemeralOwner = r.readLong();
    pzxid = r.readLong();
}

void Stat::write(JuteWriter& w) const
{
    w.writeLong(czxid);
    w.writeLong(mzxid);
    w.writeLong(ctime);
    w.writeLong(mtime);
    w.writeInt(version);
    w.writeInt(cversion);
    w.writeInt(aversion);
    w.writeLong(ephemeralOwner);
    w.writeInt(dataLength);
    w.writeInt(numChildren);
    w.writeLong(pzxid);
}

void Stat::read(JuteReader& r)
{
    czxid = r.readLong();
    mzxid = r.readLong();
    ctime = r.readLong();
    mtime = r.readLong();
    version = r.readInt();
    cversion = r.readInt();
    aversion = r.readInt();
    ephemeralOwner = r.readLong();
    dataLength = r.readInt();
    numChildren = r.readInt();
    pzxid = r.readLong();
}

} // namespace zk

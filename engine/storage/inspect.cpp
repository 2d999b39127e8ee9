#include "storage/inspect.h"

#include "storage/snapshot.h"
#include "storage/txn_log.h"

#include <fmt/format.h>

#include <ctime>
#include <map>

namespace zk {

namespace {

// DateFormat.getDateTimeInstance(SHORT, LONG) in the US locale, UTC.
std::string shortDateTime(std::int64_t ms)
{
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    const int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
    return fmt::format("{}/{}/{:02}, {}:{:02}:{:02} {} UTC", tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_year % 100, hour12, tm.tm_min, tm.tm_sec,
                       tm.tm_hour < 12 ? "AM" : "PM");
}

// java.util.Date.toString in UTC.
std::string javaDate(std::int64_t ms)
{
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[64];
    std::strftime(text, sizeof text, "%a %b %d %H:%M:%S UTC %Y", &tm);
    return text;
}

std::string opString(OpCode type)
{
    switch (type) {
    case OpCode::Create:
        return "create";
    case OpCode::Create2:
        return "create2";
    case OpCode::CreateContainer:
        return "createContainer";
    case OpCode::CreateTtl:
        return "createTtl";
    case OpCode::Delete:
        return "delete";
    case OpCode::DeleteContainer:
        return "deleteContainer";
    case OpCode::SetData:
        return "setData";
    case OpCode::SetAcl:
        return "setACL";
    case OpCode::Check:
        return "check";
    case OpCode::Multi:
        return "multi";
    case OpCode::CreateSession:
        return "createSession";
    case OpCode::CloseSession:
        return "closeSession";
    case OpCode::Reconfig:
        return "reconfig";
    case OpCode::Error:
        return "error";
    default:
        return fmt::format("unknown {}", static_cast<int>(type));
    }
}

std::string dataText(const std::optional<std::vector<std::uint8_t>>& data)
{
    return data ? std::string(data->begin(), data->end()) : std::string();
}

// List<ACL>.toString with Jute's CSV record form of each ACL.
std::string aclText(const AclList& acls)
{
    std::string text = "[";
    for (std::size_t i = 0; i < acls.size(); ++i) {
        if (i > 0)
            text += ", ";
        text += fmt::format("{},s{{'{},'{}}}\n", acls[i].perms, acls[i].id.scheme, acls[i].id.id);
    }
    return text + "]";
}

std::string bodyText(OpCode type, const TxnBody& body);

struct BodyPrinter
{
    OpCode type;
    std::string operator()(const CreateSessionTxn& t) const { return fmt::format("{}", t.timeOut); }
    std::string operator()(const CloseSessionTxn& t) const
    {
        if (!t.paths2Delete)
            return {};
        std::string text = "v{";
        for (std::size_t i = 0; i < t.paths2Delete->size(); ++i)
            text += (i ? ",'" : "'") + (*t.paths2Delete)[i];
        return text + "}";
    }
    std::string operator()(const CreateTxn& t) const
    {
        return fmt::format("{},{},{},{},{}", t.path, dataText(t.data), aclText(t.acl), t.ephemeral,
                           t.parentCVersion);
    }
    std::string operator()(const CreateContainerTxn& t) const
    {
        return fmt::format("{},{},{},{}", t.path, dataText(t.data), aclText(t.acl),
                           t.parentCVersion);
    }
    std::string operator()(const CreateTtlTxn& t) const
    {
        return fmt::format("{},{},{},{},{}", t.path, dataText(t.data), aclText(t.acl),
                           t.parentCVersion, t.ttl);
    }
    std::string operator()(const DeleteTxn& t) const { return "'" + t.path; }
    std::string operator()(const SetDataTxn& t) const
    {
        return fmt::format("{},{},{}", t.path, dataText(t.data), t.version);
    }
    std::string operator()(const SetAclTxn& t) const
    {
        return fmt::format("'{},{},{}", t.path, aclText(t.acl), t.version);
    }
    std::string operator()(const CheckVersionTxn& t) const
    {
        return fmt::format("'{},{}", t.path, t.version);
    }
    std::string operator()(const ErrorTxn& t) const { return fmt::format("{}", t.err); }
    std::string operator()(const MultiTxn& t) const
    {
        std::string text;
        for (const Txn& sub : t.txns)
            text += opString(sub.type) + ":" + bodyText(sub.type, sub.body) + ";";
        return text;
    }
};

std::string bodyText(OpCode type, const TxnBody& body)
{
    return std::visit(BodyPrinter{type}, body);
}

class PrintSink : public SnapshotSink
{
public:
    std::map<SessionId, std::int32_t> sessions;
    std::map<std::string, StatPersisted> nodes;
    std::map<std::string, std::size_t> dataLength;
    void session(SessionId id, std::int32_t timeoutMs) override { sessions[id] = timeoutMs; }
    void acl(std::int64_t, AclList) override {}
    void node(std::string path, DataNode node) override
    {
        if (path.empty())
            path = "/";
        dataLength[path] = node.data ? node.data->size() : 0;
        nodes[path] = node.stat;
    }
};

// Pre-order over sorted components: sort paths so that "/a/b" follows "/a" before "/a-".
bool componentLess(const std::string& a, const std::string& b)
{
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        const std::size_t ei = a.find('/', i + 1);
        const std::size_t ej = b.find('/', j + 1);
        const std::string_view ca = std::string_view(a).substr(i, ei - i);
        const std::string_view cb = std::string_view(b).substr(j, ej - j);
        if (ca != cb)
            return ca < cb;
        i = ei == std::string::npos ? a.size() : ei;
        j = ej == std::string::npos ? b.size() : ej;
    }
    return a.size() - i < b.size() - j;
}

} // namespace

StorageError printTxnLog(const std::filesystem::path& file, std::ostream& out)
{
    LogFileHeader header;
    std::int64_t count = 0;
    bool printedHeader = false;
    auto error = readTxnLogFile(
        file,
        [&](const LogEntry& entry) {
            if (!printedHeader) {
                out << fmt::format("ZooKeeper Transactional Log File with dbid {} txnlog format "
                                   "version {}\n",
                                   header.dbId, header.version);
                printedHeader = true;
            }
            const TxnHeader& h = entry.txn.header;
            out << fmt::format("{} session 0x{:x} cxid 0x{:x} zxid 0x{:x} {} {}\n",
                               shortDateTime(h.time), static_cast<std::uint64_t>(h.clientId),
                               static_cast<std::uint32_t>(h.cxid),
                               static_cast<std::uint64_t>(h.zxid), opString(h.type),
                               bodyText(entry.txn.txn.type, entry.txn.txn.body));
            ++count;
            return true;
        },
        &header);
    if (!printedHeader && header.magic == kTxnLogMagic)
        out << fmt::format("ZooKeeper Transactional Log File with dbid {} txnlog format version "
                           "{}\n",
                           header.dbId, header.version);
    if (error)
        return error;
    out << fmt::format("EOF reached after {} txns.\n", count);
    return {};
}

StorageError printSnapshot(const std::filesystem::path& file, std::ostream& out)
{
    PrintSink sink;
    SnapshotInfo info;
    if (auto error = readSnapshotFile(file, sink, info))
        return error;
    std::vector<std::string> paths;
    for (const auto& [path, stat] : sink.nodes)
        paths.push_back(path);
    std::sort(paths.begin(), paths.end(), componentLess);
    std::map<SessionId, std::size_t> ephemeralCount;
    out << fmt::format("ZNode Details (count={}):\n", sink.nodes.size() + 1);
    for (const std::string& path : paths) {
        const StatPersisted& s = sink.nodes[path];
        if (s.ephemeralOwner != 0)
            ++ephemeralCount[s.ephemeralOwner];
        out << "----\n" << path << "\n";
        out << fmt::format("  cZxid = 0x{:014x}\n  ctime = {}\n  mZxid = 0x{:014x}\n"
                           "  mtime = {}\n  pZxid = 0x{:014x}\n  cversion = {}\n"
                           "  dataVersion = {}\n  aclVersion = {}\n"
                           "  ephemeralOwner = 0x{:014x}\n  dataLength = {}\n",
                           static_cast<std::uint64_t>(s.czxid), javaDate(s.ctime),
                           static_cast<std::uint64_t>(s.mzxid), javaDate(s.mtime),
                           static_cast<std::uint64_t>(s.pzxid), s.cversion, s.version, s.aversion,
                           static_cast<std::uint64_t>(s.ephemeralOwner), sink.dataLength[path]);
    }
    out << "----\nSession Details (sid, timeout, ephemeralCount):\n";
    for (const auto& [id, timeout] : sink.sessions)
        out << fmt::format("0x{:x}, {}, {}\n", static_cast<std::uint64_t>(id), timeout,
                           ephemeralCount[id]);
    Zxid last = info.zxid;
    if (info.digest)
        last = std::max(last, info.digest->zxid);
    out << fmt::format("----\nLast zxid: 0x{:x}\n", static_cast<std::uint64_t>(last));
    return {};
}

} // namespace zk

#pragma once
// Helpers shared by the storage tests: a live tree that logs every txn it applies, as the
// server does, so that tests can compare a restored tree with the live one.

#include "data/data_tree.h"
#include "proto/txn_codec.h"
#include "storage/file_storage.h"

#include <QtTest>

#include <fstream>
#include <map>
#include <random>

namespace storagetest {

using Bytes = std::vector<std::uint8_t>;

// Applies txns to a tree with real parentCVersion values (as PrepStage computes them) and
// appends each to a log writer when one is given.
class LiveServer
{
public:
    explicit LiveServer(zk::TxnLogWriter* log = nullptr) : m_log(log) {}

    zk::DataTree tree;
    std::map<zk::SessionId, std::int32_t> sessions;
    zk::Zxid zxid = 0;
    std::vector<zk::LoggedTxn> applied;

    zk::LoggedTxn make(zk::OpCode type, zk::TxnBody body, zk::SessionId session = 0)
    {
        zk::LoggedTxn txn;
        txn.header = zk::TxnHeader{session, static_cast<zk::Xid>(zxid + 1), zxid + 1,
                                   1700000000000 + zxid, type};
        txn.txn = zk::Txn{type, std::move(body)};
        return txn;
    }

    // With digests on, each logged txn carries the tree digest after it (TxnDigest), except
    // at zxid wrongDigestAt, whose digest is off by one.
    bool digests = false;
    std::optional<zk::Zxid> wrongDigestAt;

    zk::ProcessTxnResult apply(zk::LoggedTxn txn)
    {
        ++zxid;
        if (txn.header.zxid != zxid)
            qFatal("txn zxid out of order");
        if (txn.header.type == zk::OpCode::CreateSession)
            sessions[txn.header.clientId] = std::get<zk::CreateSessionTxn>(txn.txn.body).timeOut;
        if (txn.header.type == zk::OpCode::CloseSession)
            sessions.erase(txn.header.clientId);
        zk::ProcessTxnResult result = tree.processTxn(txn.header, txn.txn);
        if (digests) {
            const std::int64_t off = wrongDigestAt == zxid ? 1 : 0;
            txn.digest = zk::TxnDigest{zk::DataTree::digestVersion, tree.digest() + off};
        }
        if (m_log) {
            const auto error = m_log->append(txn);
            if (error)
                qFatal("log append: %s", error.message().c_str());
        }
        applied.push_back(std::move(txn));
        return result;
    }

    std::int32_t nextCversion(const std::string& parent) const
    {
        const zk::DataNode* node = tree.node(parent);
        return node ? node->stat.cversion + 1 : 0;
    }

    zk::ProcessTxnResult createSession(zk::SessionId id, std::int32_t timeoutMs = 30000)
    {
        return apply(make(zk::OpCode::CreateSession, zk::CreateSessionTxn{timeoutMs}, id));
    }
    zk::ProcessTxnResult closeSession(zk::SessionId id)
    {
        std::vector<std::string> paths(tree.ephemerals(id).begin(), tree.ephemerals(id).end());
        return apply(make(zk::OpCode::CloseSession, zk::CloseSessionTxn{paths}, id));
    }
    zk::ProcessTxnResult create(const std::string& path, std::string data = "d",
                                zk::SessionId ephemeralOwner = 0)
    {
        const std::string parent = parentOf(path);
        return apply(make(zk::OpCode::Create,
                          zk::CreateTxn{path, Bytes(data.begin(), data.end()), zk::openAclUnsafe(),
                                        ephemeralOwner != 0, nextCversion(parent)},
                          ephemeralOwner));
    }
    zk::ProcessTxnResult createWithAcl(const std::string& path, zk::AclList acl)
    {
        return apply(make(zk::OpCode::Create, zk::CreateTxn{path, Bytes{'a'}, std::move(acl), false,
                                                            nextCversion(parentOf(path))}));
    }
    zk::ProcessTxnResult setData(const std::string& path, std::string data)
    {
        const zk::DataNode* node = tree.node(path);
        const std::int32_t version = node ? node->stat.version + 1 : 0;
        return apply(make(zk::OpCode::SetData,
                          zk::SetDataTxn{path, Bytes(data.begin(), data.end()), version}));
    }
    zk::ProcessTxnResult remove(const std::string& path)
    {
        return apply(make(zk::OpCode::Delete, zk::DeleteTxn{path}));
    }

    static std::string parentOf(const std::string& path)
    {
        const auto slash = path.rfind('/');
        return slash == 0 ? std::string("/") : path.substr(0, slash);
    }

private:
    zk::TxnLogWriter* m_log;
};

// Every node's path, data and stat, for comparing trees.
inline std::map<std::string, std::pair<std::optional<Bytes>, zk::StatPersisted>>
dumpTree(const zk::DataTree& tree)
{
    std::map<std::string, std::pair<std::optional<Bytes>, zk::StatPersisted>> out;
    tree.forEachNodePreOrder([&](const std::string& path, const zk::DataNode& node) {
        out[path] = {node.data, node.stat};
    });
    return out;
}

inline Bytes readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline void writeFile(const std::filesystem::path& path, const Bytes& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

inline zk::StorageOptions optionsFor(const QString& dir, std::int64_t preAlloc = 4096)
{
    zk::StorageOptions options;
    options.dataDir = dir.toStdString();
    options.preAllocBytes = preAlloc;
    return options;
}

} // namespace storagetest

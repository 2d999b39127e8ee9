// zoolab-storage-bench: measures this disk's fsync cost as the txn log pays it (small append
// + fdatasync into a preallocated file) and group commit, then the time to write a snapshot
// of N znodes and to recover from it, and from a log of N creates.
//
// usage: zoolab-storage-bench DIR [znodes=1000000] [fsyncs=500]

#include "storage/file_storage.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

zk::LoggedTxn createTxn(zk::Zxid zxid, const std::string& path, std::int32_t parentCVersion)
{
    zk::LoggedTxn txn;
    txn.header =
        zk::TxnHeader{0, static_cast<zk::Xid>(zxid), zxid, 1700000000000, zk::OpCode::Create};
    txn.txn =
        zk::Txn{zk::OpCode::Create, zk::CreateTxn{path, std::vector<std::uint8_t>(32, 'x'),
                                                  zk::openAclUnsafe(), false, parentCVersion}};
    return txn;
}

void check(const zk::StorageError& error)
{
    if (error) {
        std::cerr << error.message() << "\n";
        std::exit(1);
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::cerr << "usage: zoolab-storage-bench DIR [znodes=1000000] [fsyncs=500]\n";
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    const long znodes = argc > 2 ? std::atol(argv[2]) : 1000000;
    const long fsyncs = argc > 3 ? std::atol(argv[3]) : 500;
    zk::StorageOptions options;
    options.dataDir = dir / "fsync";
    check(zk::ensureDirectory(options.logDir()));

    for (const int batch : {1, 10, 100}) {
        zk::TxnLogWriter log(
            {options.logDir() / std::to_string(batch), zk::kDefaultPreAllocBytes, true, 0});
        check(zk::ensureDirectory(options.logDir() / std::to_string(batch)));
        zk::Zxid zxid = 0;
        check(log.append(createTxn(++zxid, "/warm", 0)));
        check(log.commit());
        const auto start = Clock::now();
        for (long i = 0; i < fsyncs; ++i) {
            for (int j = 0; j < batch; ++j) {
                ++zxid;
                check(log.append(createTxn(zxid, "/n" + std::to_string(zxid), 1)));
            }
            check(log.commit());
        }
        const double ms = msSince(start);
        std::cout << fmt::format("group commit of {:>3} txns (~110 B each): {:.3f} ms per fsync, "
                                 "{:.0f} txns/s\n",
                                 batch, ms / static_cast<double>(fsyncs),
                                 static_cast<double>(fsyncs * batch) / (ms / 1000.0));
    }

    // A tree of `znodes` nodes under 1000 parents, logged as creates.
    zk::StorageOptions big;
    big.dataDir = dir / "big";
    big.forceSync = false;
    check(zk::ensureDirectory(big.logDir()));
    zk::DataTree tree;
    {
        zk::TxnLogWriter log({big.logDir(), zk::kDefaultPreAllocBytes, false, 0});
        zk::Zxid zxid = 0;
        const long parents = 1000;
        auto start = Clock::now();
        for (long p = 0; p < parents; ++p) {
            auto txn = createTxn(++zxid, fmt::format("/p{}", p), static_cast<std::int32_t>(p + 1));
            check(log.append(txn));
            tree.processTxn(txn.header, txn.txn);
        }
        for (long i = 0; i < znodes - parents; ++i) {
            const std::string parent = fmt::format("/p{}", i % parents);
            auto txn = createTxn(++zxid, fmt::format("{}/n{}", parent, i),
                                 static_cast<std::int32_t>(i / parents + 1));
            check(log.append(txn));
            tree.processTxn(txn.header, txn.txn);
            if (zxid % 10000 == 0)
                check(log.commit());
        }
        check(log.commit());
        std::cout << fmt::format("built and logged {} znodes in {:.0f} ms\n", znodes,
                                 msSince(start));
    }
    {
        zk::RecoveredState state;
        const auto start = Clock::now();
        check(zk::recover(big, state));
        std::cout << fmt::format("recovery from the log alone: {} txns replayed in {:.0f} ms\n",
                                 state.txnsReplayed, msSince(start));
    }
    {
        const auto start = Clock::now();
        zk::SnapshotBuilder builder(tree, {});
        while (!builder.step(tree, 2000)) {
        }
        const auto image = builder.finish(tree);
        const double serializeMs = msSince(start);
        const auto write = Clock::now();
        check(zk::writeSnapshotFile(big.snapDir(), image, true));
        std::cout << fmt::format("snapshot of {} znodes: serialize {:.0f} ms (2000-node steps), "
                                 "write+fsync {:.0f} ms, {} MB\n",
                                 image.nodeCount, serializeMs, msSince(write),
                                 image.bytes() / 1000000);
    }
    {
        zk::RecoveredState state;
        const auto start = Clock::now();
        check(zk::recover(big, state));
        std::cout << fmt::format("recovery from the snapshot: {} znodes, {} txns replayed, "
                                 "{:.0f} ms\n",
                                 state.tree.nodeCount() - 1, state.txnsReplayed, msSince(start));
    }
    return 0;
}

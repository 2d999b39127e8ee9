#include "controllers/standalone_migration.h"

#include <fmt/format.h>

#include <system_error>
#include <vector>

namespace zoolab {

namespace fs = std::filesystem;

namespace {

bool isHistoryFile(const fs::path& file)
{
    const std::string name = file.filename().string();
    return name.rfind("snapshot.", 0) == 0 || name.rfind("log.", 0) == 0;
}

} // namespace

MigrationResult migrateStandaloneData(const fs::path& base, int nodeCount, std::string& note)
{
    std::error_code ec;
    const fs::path old = base / "version-2";
    if (!fs::is_directory(old, ec))
        return MigrationResult::NothingToDo;
    for (int sid = 1; sid <= nodeCount; ++sid) {
        if (fs::exists(base / ("node" + std::to_string(sid)), ec))
            return MigrationResult::NothingToDo;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(old, ec)) {
        if (entry.is_regular_file() && isHistoryFile(entry.path()))
            files.push_back(entry.path());
    }
    if (ec) {
        note = fmt::format("could not read the old data folder {}: {}", old.string(), ec.message());
        return MigrationResult::Failed;
    }
    if (files.empty())
        return MigrationResult::NothingToDo;
    // Stage every node's copy first, then rename them all: a failure leaves no node folder.
    auto staging = [&](int sid) { return base / ("node" + std::to_string(sid) + ".migrating"); };
    auto fail = [&](const fs::path& to) {
        note = fmt::format("could not copy the old data from {} to {}: {}", old.string(),
                           to.string(), ec.message());
        std::error_code ignored;
        for (int sid = 1; sid <= nodeCount; ++sid)
            fs::remove_all(staging(sid), ignored);
        return MigrationResult::Failed;
    };
    for (int sid = 1; sid <= nodeCount; ++sid) {
        fs::remove_all(staging(sid), ec);
        fs::create_directories(staging(sid) / "version-2", ec);
        for (const fs::path& file : files) {
            if (!ec)
                fs::copy_file(file, staging(sid) / "version-2" / file.filename(), ec);
        }
        if (ec)
            return fail(staging(sid));
    }
    for (int sid = 1; sid <= nodeCount; ++sid) {
        const fs::path node = base / ("node" + std::to_string(sid));
        fs::rename(staging(sid), node, ec);
        if (ec)
            return fail(node);
    }
    note = fmt::format("the data of the earlier standalone server ({} files in {}) was copied to "
                       "each of the {} servers; the old folder is kept",
                       files.size(), old.string(), nodeCount);
    return MigrationResult::Migrated;
}

} // namespace zoolab

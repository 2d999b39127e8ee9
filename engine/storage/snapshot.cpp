#include "storage/snapshot.h"

#include "core/assert.h"
#include "proto/jute_reader.h"
#include "proto/jute_writer.h"
#include "storage/txn_log.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zk {

namespace {

bool endsWith(const std::string& text, std::string_view suffix)
{
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

StorageError readGzipFile(const fs::path& file, std::vector<std::uint8_t>& out)
{
    out.clear();
    gzFile gz = gzopen(file.c_str(), "rb");
    if (gz == nullptr)
        return StorageError::io(errno ? errno : EIO, file.string(), "open gzip snapshot");
    std::uint8_t chunk[1 << 16];
    StorageError result;
    for (;;) {
        const int n = gzread(gz, chunk, sizeof chunk);
        if (n < 0) {
            int zerr = 0;
            const char* text = gzerror(gz, &zerr);
            result = StorageError::bad(StorageErrc::Malformed, file.string(),
                                       static_cast<std::int64_t>(out.size()),
                                       fmt::format("gzip: {}", text ? text : "error"));
            break;
        }
        if (n == 0)
            break;
        if (out.size() + static_cast<std::size_t>(n) > kMaxSnapshotBytes) {
            result = StorageError::bad(StorageErrc::UnreasonableLength, file.string(),
                                       static_cast<std::int64_t>(out.size()));
            break;
        }
        out.insert(out.end(), chunk, chunk + n);
    }
    gzclose(gz);
    return result;
}

// Checks one seal at the reader's position (`base` bytes into the file): long adler32 of
// all bytes before it, "/".
StorageError checkSeal(JuteReader& r, std::span<const std::uint8_t> bytes, std::size_t base,
                       const std::string& name)
{
    const std::size_t at = base + r.position();
    const std::uint32_t expected = adler32Of(bytes.subspan(0, at));
    const std::int64_t stored = r.readLong();
    const std::string slash = r.readString();
    if (!r.ok())
        return StorageError::bad(StorageErrc::Malformed, name, static_cast<std::int64_t>(at),
                                 "truncated seal");
    if (static_cast<std::uint64_t>(stored) != expected || slash != "/")
        return StorageError::bad(StorageErrc::BadChecksum, name, static_cast<std::int64_t>(at),
                                 fmt::format("CRC corruption in snapshot: stored 0x{:x}, "
                                             "computed 0x{:x}",
                                             stored, expected));
    return {};
}

StorageError parseBody(std::span<const std::uint8_t> bytes, const std::string& name,
                       SnapshotSink& sink, SnapshotInfo& info, std::size_t& used)
{
    SnapshotBodyDecoder body(sink);
    const DecodeStatus status = body.feed(bytes.subspan(kFileHeaderBytes), used);
    info.sessionCount = body.sessionCount();
    info.aclCount = body.aclCount();
    info.nodeCount = body.nodeCount();
    const auto offset = static_cast<std::int64_t>(kFileHeaderBytes + body.errorOffset());
    if (status == DecodeStatus::Malformed)
        return StorageError::bad(StorageErrc::Malformed, name, offset, body.error());
    if (status == DecodeStatus::NeedMore)
        return StorageError::bad(StorageErrc::Malformed, name, offset,
                                 fmt::format("{} cut short", body.section()));
    return {};
}

StorageError parseSnapshot(std::span<const std::uint8_t> bytes, const std::string& name,
                           SnapshotSink& sink, SnapshotInfo& info)
{
    JuteReader head(bytes, kMaxTxnBytes);
    const std::int32_t magic = head.readInt();
    const std::int32_t version = head.readInt();
    info.dbId = head.readLong();
    if (!head.ok())
        return StorageError::bad(StorageErrc::Malformed, name, 0, "file shorter than its header");
    if (magic != kSnapshotMagic)
        return StorageError::bad(StorageErrc::BadMagic, name, 0,
                                 fmt::format("0x{:08x} is not ZKSN", magic));
    if (version != kFileFormatVersion)
        return StorageError::bad(StorageErrc::BadVersion, name, 4, fmt::format("{}", version));
    std::size_t used = 0;
    if (auto error = parseBody(bytes, name, sink, info, used))
        return error;
    const std::size_t base = kFileHeaderBytes + used;
    JuteReader r(bytes.subspan(base), kMaxTxnBytes);
    auto malformed = [&](std::string what) {
        return StorageError::bad(StorageErrc::Malformed, name,
                                 static_cast<std::int64_t>(base + r.position()), std::move(what));
    };
    if (auto error = checkSeal(r, bytes, base, name))
        return error;
    if (r.atEnd())
        return {}; // written before 3.6
    ZxidDigest digest;
    digest.zxid = r.readLong();
    digest.digestVersion = r.readInt();
    digest.digest = r.readLong();
    if (!r.ok())
        return malformed("ZxidDigest cut short");
    if (auto error = checkSeal(r, bytes, base, name))
        return error;
    info.digest = digest;
    if (r.atEnd())
        return {};
    const Zxid last = r.readLong();
    if (!r.ok())
        return malformed("lastProcessedZxid cut short");
    if (auto error = checkSeal(r, bytes, base, name))
        return error;
    info.lastProcessedZxid = last;
    return {};
}

// Where writeSnapshotFile's bytes go: straight to the file, or through gzip (as Apache's
// GZIPOutputStream under zookeeper.snapshot.compression.method=gz). The Adler32 of the seals
// covers the uncompressed bytes either way. With sync, the writeback of what reaches the file
// starts at once: the final fsync then finds little left to write, and the txn log's
// fdatasyncs do not queue behind a burst of snapshot pages (measured: p99.9 of concurrent
// writes 7-10 ms instead of 10-13 ms).
class SnapshotFileSink
{
public:
    SnapshotFileSink(int fd, std::string name, SnapshotCompression compression, bool sync)
        : m_fd(fd), m_name(std::move(name)), m_sync(sync),
          m_gzip(compression == SnapshotCompression::Gzip)
    {
        if (m_gzip)
            m_out.resize(256 * 1024);
        // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
        if (m_gzip && deflateInit2(&m_z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                                   Z_DEFAULT_STRATEGY) != Z_OK)
            m_error = StorageError::io(ENOMEM, m_name, "start gzip");
    }
    ~SnapshotFileSink()
    {
        if (m_gzip)
            deflateEnd(&m_z);
    }
    SnapshotFileSink(const SnapshotFileSink&) = delete;
    SnapshotFileSink& operator=(const SnapshotFileSink&) = delete;

    std::uint32_t adler() const { return m_adler; }

    StorageError write(std::span<const std::uint8_t> bytes)
    {
        if (m_error)
            return m_error;
        m_adler = static_cast<std::uint32_t>(
            adler32(m_adler, bytes.data(), static_cast<uInt>(bytes.size())));
        return m_gzip ? deflateInto(bytes, Z_NO_FLUSH) : put(bytes);
    }

    // Ends the gzip stream (its trailer); nothing to do for a plain file.
    StorageError finish() { return m_gzip && !m_error ? deflateInto({}, Z_FINISH) : m_error; }

private:
    StorageError deflateInto(std::span<const std::uint8_t> bytes, int flush)
    {
        m_z.next_in = const_cast<Bytef*>(bytes.data()); // zlib does not write through it
        m_z.avail_in = static_cast<uInt>(bytes.size());
        int rc = Z_OK;
        do {
            m_z.next_out = m_out.data();
            m_z.avail_out = static_cast<uInt>(m_out.size());
            rc = deflate(&m_z, flush);
            if (rc == Z_STREAM_ERROR)
                return m_error = StorageError::io(EIO, m_name, "gzip snapshot");
            const std::size_t produced = m_out.size() - m_z.avail_out;
            if (produced > 0) {
                if (auto error = put({m_out.data(), produced}))
                    return error;
            }
        } while (m_z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
        return {};
    }

    StorageError put(std::span<const std::uint8_t> bytes)
    {
        if (auto error = writeFully(m_fd, bytes, m_name, "write snapshot"))
            return m_error = error;
        if (m_sync)
            ::sync_file_range(m_fd, m_offset, static_cast<off_t>(bytes.size()),
                              SYNC_FILE_RANGE_WRITE); // a hint: the final fsync is the check
        m_offset += static_cast<off_t>(bytes.size());
        return {};
    }

    int m_fd;
    std::string m_name;
    bool m_sync;
    bool m_gzip;
    z_stream m_z{};
    std::vector<std::uint8_t> m_out; // deflate's output, with gzip
    std::uint32_t m_adler = static_cast<std::uint32_t>(adler32(0L, Z_NULL, 0));
    off_t m_offset = 0;
    StorageError m_error;
};

void writeSeal(JuteWriter& w, std::uint32_t adlerBefore)
{
    // The checksum covers the bytes before the long; compute it over what w adds first.
    const auto pending = w.bytes();
    const auto adler = adler32(adlerBefore, pending.data(), static_cast<uInt>(pending.size()));
    w.writeLong(static_cast<std::int64_t>(adler));
    w.writeString("/");
}

} // namespace

bool looksLikeValidSnapshot(const fs::path& file)
{
    const std::string name = file.filename().string();
    if (!zxidFromName(name, kSnapshotPrefix))
        return false;
    if (endsWith(name, ".gz") || endsWith(name, ".snappy"))
        return true; // checked when read, as SnapStream does for compressed streams
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st
    {};
    bool valid = false;
    std::uint8_t tail[5];
    if (::fstat(fd, &st) == 0 && st.st_size >= 10 &&
        ::pread(fd, tail, sizeof tail, st.st_size - 5) == 5)
        valid = tail[0] == 0 && tail[1] == 0 && tail[2] == 0 && tail[3] == 1 && tail[4] == '/';
    ::close(fd);
    return valid;
}

StorageError readSnapshotFile(const fs::path& file, SnapshotSink& sink, SnapshotInfo& info)
{
    const std::string name = file.string();
    info = SnapshotInfo{};
    const auto zxid = zxidFromName(file.filename().string(), kSnapshotPrefix);
    if (!zxid)
        return StorageError::bad(StorageErrc::Unsupported, name, -1, "not a snapshot.<zxid> name");
    info.zxid = *zxid;
    if (endsWith(name, ".snappy"))
        return StorageError::bad(StorageErrc::Unsupported, name, -1, "snappy compression");
    std::vector<std::uint8_t> bytes;
    StorageError error = endsWith(name, ".gz") ? readGzipFile(file, bytes)
                                               : readWholeFile(file, bytes, kMaxSnapshotBytes);
    if (error)
        return error;
    return parseSnapshot(bytes, name, sink, info);
}

StorageError restoreSnapshot(const fs::path& file, DataTree& tree,
                             std::map<SessionId, std::int32_t>& sessions, SnapshotInfo& info)
{
    SnapshotTreeSink sink(tree, sessions);
    if (auto error = readSnapshotFile(file, sink, info))
        return error;
    if (!sink.finish())
        return StorageError::bad(StorageErrc::Malformed, file.string(), -1,
                                 "a node's parent, the root or an ACL entry is missing");
    tree.setLastProcessedZxid(info.zxid);
    return {};
}

std::size_t SnapshotImage::bytes() const
{
    std::size_t total = 0;
    for (const auto& chunk : nodeChunks)
        total += chunk.size();
    return total;
}

void appendSnapshotBody(const SnapshotImage& image, std::vector<std::uint8_t>& out)
{
    JuteWriter head;
    writeSnapshotBodyHead(head, image.sessions, image.acls);
    JuteWriter end;
    writeSnapshotBodyEnd(end);
    out.reserve(out.size() + head.size() + image.bytes() + end.size());
    out.insert(out.end(), head.bytes().begin(), head.bytes().end());
    for (const auto& chunk : image.nodeChunks)
        out.insert(out.end(), chunk.begin(), chunk.end());
    out.insert(out.end(), end.bytes().begin(), end.bytes().end());
}

namespace {

// A node whose children a pre-order walk is visiting.
struct WalkFrame
{
    const DataNode* node;
    ChildNames::const_iterator next; // the next child to visit
    std::size_t pathLength;          // length of the node's path in the walk's path buffer
};

// The stack of a pre-order walk (children sorted by name) that continues right after
// `last`: every existing ancestor positioned after the child on the way to `last`, and `last`
// itself (when it still exists) at its first child. Parts of the path deleted since `last`
// was visited are skipped. Frames' paths are prefixes of `last`.
std::vector<WalkFrame> resumeAfter(const DataTree& tree, const std::string& last)
{
    std::vector<WalkFrame> stack;
    const DataNode* node = tree.node("/");
    ZK_ASSERT(node != nullptr);
    std::size_t end = 0; // `last` up to here names `node` ("" for the root)
    while (true) {
        if (end >= last.size() || last == "/") {
            stack.push_back(WalkFrame{node, node->children.begin(), end});
            return stack;
        }
        const std::size_t nameEnd = std::min(last.find('/', end + 1), last.size());
        const std::string_view name(last.data() + end + 1, nameEnd - end - 1);
        stack.push_back(WalkFrame{node, node->children.upper_bound(name), end});
        node = tree.node(std::string_view(last.data(), nameEnd));
        if (node == nullptr)
            return stack;
        end = nameEnd;
    }
}

// Drops the frames whose children are all visited; the walk is over when none is left.
void popExhausted(std::vector<WalkFrame>& stack)
{
    while (!stack.empty() && stack.back().next == stack.back().node->children.end())
        stack.pop_back();
}

} // namespace

std::optional<std::string> nextPathInPreOrder(const DataTree& tree, const std::string& path)
{
    std::vector<WalkFrame> stack = resumeAfter(tree, path);
    popExhausted(stack);
    if (stack.empty())
        return std::nullopt;
    return path.substr(0, stack.back().pathLength).append("/").append(stack.back().next->first);
}

SnapshotBuilder::SnapshotBuilder(const DataTree& tree,
                                 const std::map<SessionId, std::int32_t>& sessions)
{
    m_image.zxid = tree.lastProcessedZxid();
    m_image.sessions.assign(sessions.begin(), sessions.end());
    tree.acls().forEach(
        [&](std::int64_t id, const AclList& acls) { m_image.acls.emplace(id, acls); });
}

void SnapshotBuilder::sealChunk()
{
    m_image.nodeChunks.push_back(m_chunk.take());
    m_chunk = JuteWriter();
    m_chunk.reserve(kChunkBytes + 4096);
}

void SnapshotBuilder::serializeNode(const DataTree& tree, std::string_view path,
                                    const DataNode& node)
{
    // A node created after the ACL table was captured may use a newer entry.
    if (node.aclId != m_lastAclId) {
        if (node.aclId != AclCache::openAclUnsafeId && m_image.acls.count(node.aclId) == 0)
            m_image.acls.emplace(node.aclId, tree.acls().convertLong(node.aclId));
        m_lastAclId = node.aclId;
    }
    if (m_chunk.size() >= kChunkBytes)
        sealChunk();
    writeSnapshotNode(m_chunk, path, node);
    ++m_image.nodeCount;
}

// The tree does not change during one step, so the step walks it with a stack of child
// iterators (which point at the children's nodes) and one path buffer; only the resume point
// (a path) is kept between steps, because the tree may change freely between them.
bool SnapshotBuilder::step(const DataTree& tree, std::size_t maxNodes)
{
    ZK_ASSERT(maxNodes > 0);
    if (m_done)
        return true;
    std::size_t visited = 0;
    std::string path;
    if (!m_last) {
        const DataNode* root = tree.node("/");
        ZK_ASSERT(root != nullptr);
        m_chunk.reserve(kChunkBytes + 4096);
        serializeNode(tree, "/", *root);
        ++visited;
        path = "/";
    } else {
        path = *m_last;
    }
    std::vector<WalkFrame> stack = resumeAfter(tree, path);
    for (popExhausted(stack); !stack.empty() && visited < maxNodes; popExhausted(stack)) {
        WalkFrame& top = stack.back();
        const auto [name, child] = *top.next;
        ++top.next;
        path.resize(top.pathLength);
        path += '/';
        path += name;
        serializeNode(tree, path, *child);
        ++visited;
        if (!child->children.empty())
            stack.push_back(WalkFrame{child, child->children.begin(), path.size()});
    }
    m_last = std::move(path);
    m_done = stack.empty(); // the loop popped exhausted frames last
    if (m_done && m_chunk.size() > 0)
        m_image.nodeChunks.push_back(m_chunk.take());
    return m_done;
}

SnapshotImage SnapshotBuilder::finish(const DataTree& tree)
{
    ZK_ASSERT(m_done);
    m_image.digest = ZxidDigest{tree.lastProcessedZxid(), DataTree::digestVersion, tree.digest()};
    m_image.lastProcessedZxid = tree.lastProcessedZxid();
    return std::move(m_image);
}

StorageError writeSnapshotFile(const fs::path& dir, const SnapshotImage& image, bool sync,
                               fs::path* written, SnapshotCompression compression)
{
    fs::path path = dir / zxidFileName(kSnapshotPrefix, image.zxid);
    if (compression == SnapshotCompression::Gzip)
        path += ".gz";
    const fs::path tmp = dir / ("tmp." + path.filename().string());
    const std::string name = tmp.string();
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return StorageError::io(errno, name, "create snapshot");
    StorageError error;
    {
        SnapshotFileSink sink(fd, name, compression, sync);
        JuteWriter head;
        head.writeInt(kSnapshotMagic);
        head.writeInt(kFileFormatVersion);
        head.writeLong(-1);
        writeSnapshotBodyHead(head, image.sessions, image.acls);
        error = sink.write(head.bytes());
        for (const auto& chunk : image.nodeChunks) {
            if (error)
                break;
            error = sink.write(chunk);
        }
        if (!error) {
            const std::uint32_t adler = sink.adler();
            JuteWriter tail;
            writeSnapshotBodyEnd(tail);
            writeSeal(tail, adler);
            JuteWriter digest;
            digest.writeLong(image.digest.zxid);
            digest.writeInt(image.digest.digestVersion);
            digest.writeLong(image.digest.digest);
            const auto adlerAfterTail = static_cast<std::uint32_t>(
                adler32(adler, tail.bytes().data(), static_cast<uInt>(tail.bytes().size())));
            writeSeal(digest, adlerAfterTail);
            tail.writeRaw(digest.bytes());
            if (image.writeLastProcessedZxid) {
                const auto adlerAfterDigest = static_cast<std::uint32_t>(
                    adler32(adler, tail.bytes().data(), static_cast<uInt>(tail.bytes().size())));
                JuteWriter last;
                last.writeLong(image.lastProcessedZxid);
                writeSeal(last, adlerAfterDigest);
                tail.writeRaw(last.bytes());
            }
            error = sink.write(tail.bytes());
        }
        if (!error)
            error = sink.finish();
    }
    if (!error && sync && ::fsync(fd) != 0)
        error = StorageError::io(errno, name, "fsync snapshot");
    if (::close(fd) != 0 && !error)
        error = StorageError::io(errno, name, "close snapshot");
    if (!error && ::rename(tmp.c_str(), path.c_str()) != 0)
        error = StorageError::io(errno, path.string(), "rename snapshot");
    if (error) {
        ::unlink(tmp.c_str());
        return error;
    }
    if (written)
        *written = path;
    return sync ? syncDirectory(dir) : StorageError{};
}

} // namespace zk

#include "models/timeline_replay.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <map>
#include <set>

namespace zoolab {

namespace {

// "(2, 100000000, 1)": id, zxid and peer epoch (both hex), as Vote::toString writes them.
std::optional<zk::Vote> parseVote(const QString& text)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^\((-?\d+), ([0-9a-fA-F]+), ([0-9a-fA-F]+)\))"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    zk::Vote vote;
    vote.id = match.captured(1).toLongLong();
    vote.zxid = zk::Zxid(match.captured(2).toULongLong(nullptr, 16));
    vote.peerEpoch = zk::Epoch(match.captured(3).toULongLong(nullptr, 16));
    return vote;
}

std::optional<zk::ServerState> parseState(QStringView word)
{
    for (auto state : {zk::ServerState::Looking, zk::ServerState::Following,
                       zk::ServerState::Leading, zk::ServerState::Observing}) {
        if (word == QString::fromStdString(std::string(zk::toString(state))))
            return state;
    }
    return std::nullopt;
}

std::optional<zk::VoteRule> parseRule(const QString& text)
{
    for (auto rule : {zk::VoteRule::HigherEpoch, zk::VoteRule::HigherZxid, zk::VoteRule::HigherSid,
                      zk::VoteRule::OwnVote}) {
        if (text == QString::fromStdString(std::string(zk::toString(rule))))
            return rule;
    }
    return std::nullopt;
}

std::vector<zk::Sid> parseSids(const QString& text)
{
    std::vector<zk::Sid> sids;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        sids.push_back(part.trimmed().toLongLong());
    return sids;
}

// The value after "key=" up to the next space (or the end).
QString field(const QString& text, const QString& key)
{
    const QString needle = key + QLatin1Char('=');
    qsizetype at = text.startsWith(needle) ? 0 : text.indexOf(QLatin1Char(' ') + needle);
    if (at < 0)
        return {};
    at += at == 0 ? needle.size() : needle.size() + 1;
    const qsizetype end = text.indexOf(QLatin1Char(' '), at);
    return text.mid(at, end < 0 ? -1 : end - at);
}

// An election row back into the event the engine reported (only those the models fold).
std::optional<zk::ElectionEvent> parseElection(const TimelineEntry& entry)
{
    const QString& text = entry.text;
    if (entry.kind == QLatin1String("LookingStarted")) {
        const qsizetype at = text.indexOf(QStringLiteral("vote="));
        const auto vote = at < 0 ? std::nullopt : parseVote(text.mid(at + 5));
        if (!vote)
            return std::nullopt;
        zk::LookingStarted event;
        event.round = zk::Epoch(field(text, QStringLiteral("round")).toLongLong());
        event.vote = *vote;
        event.vote.electionEpoch = event.round;
        return event;
    }
    if (entry.kind == QLatin1String("VoteChanged")) {
        static const QRegularExpression pattern(
            QStringLiteral(R"(^(\(.*?\)) -> (\(.*?\)) by=(-?\d+) rule=(.*)$)"));
        const auto match = pattern.match(text);
        if (!match.hasMatch())
            return std::nullopt;
        const auto from = parseVote(match.captured(1));
        const auto to = parseVote(match.captured(2));
        const auto rule = parseRule(match.captured(4));
        if (!from || !to || !rule)
            return std::nullopt;
        return zk::VoteChanged{*from, *to, *rule, match.captured(3).toLongLong()};
    }
    if (entry.kind == QLatin1String("QuorumReached")) {
        const qsizetype at = text.indexOf(QStringLiteral("vote="));
        const auto vote = at < 0 ? std::nullopt : parseVote(text.mid(at + 5));
        if (!vote)
            return std::nullopt;
        return zk::QuorumReached{*vote, parseSids(field(text, QStringLiteral("voters")))};
    }
    if (entry.kind == QLatin1String("LeaderElected")) {
        const auto state = parseState(field(text, QStringLiteral("state")));
        if (!state)
            return std::nullopt;
        zk::LeaderElected event;
        event.vote.id = field(text, QStringLiteral("leader")).toLongLong();
        event.vote.electionEpoch = zk::Epoch(field(text, QStringLiteral("round")).toLongLong());
        event.vote.peerEpoch = zk::Epoch(field(text, QStringLiteral("peerEpoch")).toLongLong());
        event.vote.zxid = zk::Zxid(field(text, QStringLiteral("zxid")).toULongLong(nullptr, 16));
        event.vote.state = *state;
        event.state = *state;
        event.voters = parseSids(field(text, QStringLiteral("voters")));
        event.outOfElection = text.contains(QStringLiteral("(out of election)"));
        return event;
    }
    return std::nullopt;
}

struct ReplayNode
{
    bool running = true;
    bool paused = false;
    zk::QuorumStatus status;
};

void applyStudio(const TimelineEntry& entry, ReplayNode& node)
{
    const QString& text = entry.text;
    if (text.startsWith(QLatin1String("kill ")) ||
        (text.startsWith(QLatin1String("server ")) && text.contains(QLatin1String("did not")))) {
        node = ReplayNode{};
        node.running = false;
        node.status.sid = entry.sid;
    } else if (text.startsWith(QLatin1String("restart server"))) {
        node = ReplayNode{};
        node.status.sid = entry.sid;
    } else if (text.startsWith(QLatin1String("pause server"))) {
        node.paused = true;
    } else if (text.startsWith(QLatin1String("resume server"))) {
        node.paused = false;
    }
}

void applyZab(const TimelineEntry& entry, ReplayNode& node)
{
    zk::QuorumStatus& status = node.status;
    if (entry.kind == QLatin1String("StateChanged")) {
        const auto state = parseState(QStringView(entry.text).left(entry.text.indexOf(' ')));
        if (!state)
            return;
        node.running = true;
        status.state = *state;
        status.phase = zk::ZabPhase::Election;
        if (*state == zk::ServerState::Leading)
            status.leader = entry.sid;
        else if (*state == zk::ServerState::Looking)
            status.leader = -1;
    } else if (entry.kind == QLatin1String("EpochChanged")) {
        const zk::Epoch epoch = zk::Epoch(entry.text.section('=', 1).toLongLong());
        if (entry.text.startsWith(QLatin1String("current")))
            status.currentEpoch = epoch;
        else
            status.acceptedEpoch = epoch;
    } else if (entry.kind == QLatin1String("PhaseChanged")) {
        for (auto phase : {zk::ZabPhase::Election, zk::ZabPhase::Discovery,
                           zk::ZabPhase::Synchronization, zk::ZabPhase::Broadcast}) {
            if (entry.text == QString::fromStdString(zk::zabPhaseName(phase)))
                status.phase = phase;
        }
    } else if (entry.kind == QLatin1String("Commit") || entry.kind == QLatin1String("Proposal")) {
        const zk::Zxid zxid =
            zk::Zxid(field(entry.text, QStringLiteral("zxid")).toULongLong(nullptr, 16));
        status.lastZxid = std::max(status.lastZxid, zxid);
        status.lastLoggedZxid = std::max(status.lastLoggedZxid, zxid);
    }
}

} // namespace

TimelineReplay::TimelineReplay(std::vector<TimelineEntry> entries) : m_entries(std::move(entries))
{
    std::set<zk::Sid> sids;
    for (const TimelineEntry& entry : m_entries) {
        if (entry.sid > 0)
            sids.insert(entry.sid);
    }
    m_sids.assign(sids.begin(), sids.end());
}

std::optional<TimelineEntry> TimelineReplay::parseLine(const QByteArray& line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    if (!object.value(QStringLiteral("t_ms")).isDouble() ||
        !object.value(QStringLiteral("kind")).isString())
        return std::nullopt;
    TimelineEntry entry;
    entry.atMs = object.value(QStringLiteral("t_ms")).toInteger();
    entry.sid = object.value(QStringLiteral("sid")).toInteger();
    entry.kind = object.value(QStringLiteral("kind")).toString();
    entry.category = object.value(QStringLiteral("category")).toString();
    entry.text = object.value(QStringLiteral("text")).toString();
    return entry;
}

std::optional<TimelineReplay> TimelineReplay::read(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return std::nullopt;
    }
    std::vector<TimelineEntry> entries;
    int lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        auto entry = parseLine(line);
        if (!entry) {
            if (error)
                *error = QStringLiteral("line %1 is not a timeline row").arg(lineNumber);
            return std::nullopt;
        }
        if (int(entries.size()) >= rowsMax) {
            if (error)
                *error = QStringLiteral("more than %1 rows").arg(rowsMax);
            return std::nullopt;
        }
        entries.push_back(std::move(*entry));
    }
    if (entries.empty()) {
        if (error)
            *error = QStringLiteral("the file holds no timeline rows");
        return std::nullopt;
    }
    return TimelineReplay(std::move(entries));
}

std::int64_t TimelineReplay::startMs() const
{
    return m_entries.empty() ? 0 : m_entries.front().atMs;
}

std::int64_t TimelineReplay::endMs() const
{
    std::int64_t end = 0;
    for (const TimelineEntry& entry : m_entries)
        end = std::max(end, entry.atMs);
    return end;
}

int TimelineReplay::positionAt(std::int64_t atMs) const
{
    // Rows are nearly sorted; the position is the first row past atMs.
    int position = 0;
    while (position < size() && m_entries[std::size_t(position)].atMs <= atMs)
        ++position;
    return position;
}

ReplayFrame TimelineReplay::frameAt(int position) const
{
    position = std::clamp(position, 0, size());
    std::map<zk::Sid, ReplayNode> nodes;
    for (zk::Sid sid : m_sids)
        nodes[sid].status.sid = sid;
    ReplayFrame frame;
    frame.sids = m_sids;
    for (int row = 0; row < position; ++row) {
        const TimelineEntry& entry = m_entries[std::size_t(row)];
        frame.atMs = entry.atMs;
        const auto found = nodes.find(entry.sid);
        if (found == nodes.end())
            continue; // the studio's own rows about the whole ensemble
        ReplayNode& node = found->second;
        if (entry.category == QLatin1String("studio")) {
            applyStudio(entry, node);
            continue;
        }
        if (entry.category == QLatin1String("election")) {
            if (auto event = parseElection(entry)) {
                if (const auto* elected = std::get_if<zk::LeaderElected>(&*event))
                    node.status.leader = elected->vote.id;
                // A new round starts from the server's own vote: its last zxid.
                if (const auto* started = std::get_if<zk::LookingStarted>(&*event))
                    node.status.lastZxid = std::max(node.status.lastZxid, started->vote.zxid);
                StampedPeerEvent stamped;
                stamped.atMs = entry.atMs;
                stamped.event.kind = zk::PeerEvent::Kind::Election;
                stamped.event.sid = entry.sid;
                stamped.event.election = std::move(*event);
                frame.electionEvents.push_back(std::move(stamped));
            }
            continue;
        }
        applyZab(entry, node);
    }
    for (auto& [sid, node] : nodes) {
        NodePoll poll;
        poll.sid = sid;
        poll.running = node.running;
        poll.paused = node.running && node.paused;
        if (node.running) {
            zk::QuorumStatus status = node.status;
            status.serving = status.phase == zk::ZabPhase::Broadcast &&
                             (status.state == zk::ServerState::Leading ||
                              status.state == zk::ServerState::Following);
            poll.status = status;
        }
        frame.polls.push_back(poll);
    }
    std::vector<zk::Sid> leaders;
    for (const NodePoll& poll : frame.polls) {
        if (poll.running && !poll.paused && poll.status &&
            poll.status->state == zk::ServerState::Leading)
            leaders.push_back(poll.sid);
    }
    if (leaders.size() == 1)
        frame.leader = leaders.front();
    return frame;
}

} // namespace zoolab

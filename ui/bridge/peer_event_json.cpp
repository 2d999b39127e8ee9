#include "bridge/peer_event_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace zoolab {

namespace {

std::int64_t hexOrNumber(const QJsonValue& value)
{
    if (value.isString()) {
        QString text = value.toString();
        bool ok = false;
        const qint64 parsed = text.startsWith(QStringLiteral("0x"))
                                  ? text.mid(2).toLongLong(&ok, 16)
                                  : text.toLongLong(&ok, 10);
        return ok ? parsed : 0;
    }
    return value.toInteger();
}

zk::ServerState stateOf(const QString& name)
{
    if (name == QStringLiteral("LEADING"))
        return zk::ServerState::Leading;
    if (name == QStringLiteral("FOLLOWING"))
        return zk::ServerState::Following;
    if (name == QStringLiteral("OBSERVING"))
        return zk::ServerState::Observing;
    return zk::ServerState::Looking;
}

std::int32_t stateOrdinal(const QString& name)
{
    return static_cast<std::int32_t>(stateOf(name));
}

zk::Notification notificationOf(const QJsonObject& o)
{
    zk::Notification n;
    n.state = stateOrdinal(o.value(QStringLiteral("state")).toString());
    n.leader = o.value(QStringLiteral("leader")).toInteger();
    n.zxid = hexOrNumber(o.value(QStringLiteral("zxid")));
    n.electionEpoch = o.value(QStringLiteral("electionEpoch")).toInteger();
    n.peerEpoch = o.value(QStringLiteral("peerEpoch")).toInteger();
    return n;
}

std::vector<zk::Sid> sidsOf(const QJsonValue& value)
{
    std::vector<zk::Sid> out;
    for (const QJsonValue& sid : value.toArray())
        out.push_back(sid.toInteger());
    return out;
}

zk::VoteRule ruleOf(const QString& line)
{
    if (line.contains(QStringLiteral("rule=higher epoch")))
        return zk::VoteRule::HigherEpoch;
    if (line.contains(QStringLiteral("rule=higher zxid")))
        return zk::VoteRule::HigherZxid;
    if (line.contains(QStringLiteral("rule=own vote")))
        return zk::VoteRule::OwnVote;
    return zk::VoteRule::HigherSid;
}

// The "(id, 0xzxid, peerEpoch)" before " -> " in a VoteChanged line.
zk::Vote previousVote(const QString& line)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(\((-?\d+), (?:0x)?([0-9a-fA-F]+), (?:0x)?([0-9a-fA-F]+)\) -> )"));
    zk::Vote vote;
    const auto match = pattern.match(line);
    if (match.hasMatch()) {
        vote.id = match.captured(1).toLongLong();
        // Vote::toString prints zxid and peer epoch in hex without a prefix.
        vote.zxid = match.captured(2).toLongLong(nullptr, 16);
        vote.peerEpoch = match.captured(3).toLongLong(nullptr, 16);
    }
    return vote;
}

std::optional<zk::ElectionEvent> electionOf(const QJsonObject& o, zk::Sid sid)
{
    const QString event = o.value(QStringLiteral("event")).toString();
    if (event == QStringLiteral("VoteSent"))
        return zk::VoteSent{o.value(QStringLiteral("to")).toInteger(), notificationOf(o)};
    if (event == QStringLiteral("VoteReceived"))
        return zk::VoteReceived{o.value(QStringLiteral("from")).toInteger(), notificationOf(o)};
    if (event == QStringLiteral("LookingStarted")) {
        zk::LookingStarted started;
        started.round = o.value(QStringLiteral("round")).toInteger();
        started.vote.id = sid;
        started.vote.electionEpoch = started.round;
        return started;
    }
    if (event == QStringLiteral("RoundChanged")) {
        zk::RoundChanged round;
        round.to = o.value(QStringLiteral("round")).toInteger();
        return round;
    }
    if (event == QStringLiteral("VoteChanged")) {
        const QString line = o.value(QStringLiteral("line")).toString();
        zk::VoteChanged changed;
        changed.from = previousVote(line);
        changed.to.id = o.value(QStringLiteral("leader")).toInteger();
        changed.to.zxid = hexOrNumber(o.value(QStringLiteral("zxid")));
        changed.to.peerEpoch = o.value(QStringLiteral("peerEpoch")).toInteger();
        changed.rule = ruleOf(line);
        changed.by = o.value(QStringLiteral("by")).toInteger();
        return changed;
    }
    if (event == QStringLiteral("QuorumReached")) {
        zk::QuorumReached quorum;
        quorum.vote.id = o.value(QStringLiteral("leader")).toInteger();
        quorum.voters = sidsOf(o.value(QStringLiteral("voters")));
        return quorum;
    }
    if (event == QStringLiteral("LeaderElected")) {
        zk::LeaderElected elected;
        elected.vote.id = o.value(QStringLiteral("leader")).toInteger();
        elected.state = stateOf(o.value(QStringLiteral("state")).toString());
        elected.voters = sidsOf(o.value(QStringLiteral("voters")));
        return elected;
    }
    if (event == QStringLiteral("FinalizeInterrupted"))
        return zk::FinalizeInterrupted{o.value(QStringLiteral("by")).toInteger(), {}};
    if (event == QStringLiteral("NotificationTimeout"))
        return zk::NotificationTimeout{o.value(QStringLiteral("nextIntervalMs")).toInt()};
    return std::nullopt;
}

} // namespace

std::optional<zk::PeerEvent> peerEventFromJson(const QByteArray& line)
{
    const QJsonDocument document = QJsonDocument::fromJson(line);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject o = document.object();
    const QString kind = o.value(QStringLiteral("kind")).toString();
    zk::PeerEvent event;
    event.sid = o.value(QStringLiteral("sid")).toInteger();
    using Kind = zk::PeerEvent::Kind;
    if (kind == QStringLiteral("Election")) {
        event.kind = Kind::Election;
        event.election = electionOf(o, event.sid);
        if (!event.election)
            return std::nullopt;
    } else if (kind == QStringLiteral("StateChanged")) {
        event.kind = Kind::StateChanged;
        event.state = stateOf(o.value(QStringLiteral("state")).toString());
        event.text = o.value(QStringLiteral("text")).toString().toStdString();
    } else if (kind == QStringLiteral("EpochChanged")) {
        event.kind = Kind::EpochChanged;
        event.epoch = o.value(QStringLiteral("epoch")).toInteger();
        event.text = o.value(QStringLiteral("which")).toString().toStdString();
    } else if (kind == QStringLiteral("Sync")) {
        event.kind = Kind::Sync;
        event.peer = o.value(QStringLiteral("peer")).toInteger();
        event.text = o.value(QStringLiteral("mode")).toString().toStdString();
        event.zxid = hexOrNumber(o.value(QStringLiteral("zxid")));
    } else if (kind == QStringLiteral("Established")) {
        event.kind = Kind::Established;
        event.epoch = o.value(QStringLiteral("epoch")).toInteger();
        event.text = o.value(QStringLiteral("quorum")).toString().toStdString();
    } else if (kind == QStringLiteral("Proposal") || kind == QStringLiteral("Commit") ||
               kind == QStringLiteral("Ack")) {
        event.kind = kind == QStringLiteral("Proposal") ? Kind::Proposal
                     : kind == QStringLiteral("Commit") ? Kind::Commit
                                                        : Kind::Ack;
        event.peer = o.value(QStringLiteral("peer")).toInteger();
        event.zxid = hexOrNumber(o.value(QStringLiteral("zxid")));
    } else if (kind == QStringLiteral("SessionCreated") ||
               kind == QStringLiteral("SessionClosed")) {
        event.kind =
            kind == QStringLiteral("SessionCreated") ? Kind::SessionCreated : Kind::SessionClosed;
        event.session = hexOrNumber(o.value(QStringLiteral("session")));
    } else if (kind == QStringLiteral("PhaseChanged")) {
        event.kind = Kind::PhaseChanged;
        const QString phase = o.value(QStringLiteral("phase")).toString();
        event.phase = phase == QStringLiteral("DISCOVERY")         ? zk::ZabPhase::Discovery
                      : phase == QStringLiteral("SYNCHRONIZATION") ? zk::ZabPhase::Synchronization
                      : phase == QStringLiteral("BROADCAST")       ? zk::ZabPhase::Broadcast
                                                                   : zk::ZabPhase::Election;
    } else {
        return std::nullopt;
    }
    return event;
}

} // namespace zoolab

#include "election/election_events.h"

#include <fmt/format.h>

namespace zk {

namespace {

template <class... Ts>
struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace

std::string joinSids(const std::vector<Sid>& sids)
{
    std::string text;
    for (Sid sid : sids) {
        if (!text.empty())
            text += ',';
        text += std::to_string(sid);
    }
    return text;
}

std::string toString(const ElectionEvent& event)
{
    return std::visit(
        Overloaded{
            [](const LookingStarted& e) {
                return fmt::format("LookingStarted round={} vote={}", e.round, e.vote.toString());
            },
            [](const VoteSent& e) {
                return fmt::format("VoteSent to={} {}", e.to, e.notification.toString());
            },
            [](const VoteReceived& e) {
                return fmt::format("VoteReceived from={} {}", e.from, e.notification.toString());
            },
            [](const RoundChanged& e) {
                return fmt::format("RoundChanged {} -> {} by={}", e.from, e.to, e.by);
            },
            [](const VoteChanged& e) {
                return fmt::format("VoteChanged {} -> {} by={} rule={}", e.from.toString(),
                                   e.to.toString(), e.by, toString(e.rule));
            },
            [](const QuorumReached& e) {
                return fmt::format("QuorumReached vote={} voters={}", e.vote.toString(),
                                   joinSids(e.voters));
            },
            [](const FinalizeInterrupted& e) {
                return fmt::format("FinalizeInterrupted by={} vote={}", e.by, e.vote.toString());
            },
            [](const NotificationTimeout& e) {
                return fmt::format("NotificationTimeout next={}ms", e.nextIntervalMs);
            },
            [](const LeaderElected& e) {
                return fmt::format("LeaderElected leader={} state={} round={} peerEpoch={} "
                                   "zxid={:#x} voters={}{}",
                                   e.vote.id, toString(e.state), e.vote.electionEpoch,
                                   e.vote.peerEpoch, e.vote.zxid, joinSids(e.voters),
                                   e.outOfElection ? " (out of election)" : "");
            },
        },
        event);
}

} // namespace zk

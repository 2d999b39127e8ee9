#pragma once
// The data buffers of the ZAB packets that are not txns (Learner.java, LearnerHandler.java,
// LearnerMaster.revalidateSession). Plain DataOutputStream layouts, big-endian:
//
//   REQUEST data     := long sessionId, int cxid, int type, byte[] request   (rest of buffer)
//   PING reply data  := (long sessionId, int timeoutMs)*                     (session touches)
//   REVALIDATE ask   := long sessionId, int timeoutMs
//   REVALIDATE reply := long sessionId, boolean valid
//
// PROPOSAL and INFORM data are whole txn entries (proto/txn_codec.h). Pure; decoders return
// nothing for a buffer that does not hold the layout.

#include "server/server_types.h"

#include <map>
#include <optional>
#include <span>
#include <vector>

namespace zk {

std::vector<std::uint8_t> encodeRequestData(const ForwardedRequest& request);
// authIds are not in the data: they travel as the packet's authinfo.
std::optional<ForwardedRequest> decodeRequestData(std::span<const std::uint8_t> data);

std::vector<std::uint8_t> encodeTouches(const std::map<SessionId, std::int32_t>& touches);
std::optional<std::map<SessionId, std::int32_t>> decodeTouches(std::span<const std::uint8_t> d);

struct Revalidation
{
    SessionId session = 0;
    std::int32_t timeoutMs = 0; // in the question
    bool valid = false;         // in the answer
};

std::vector<std::uint8_t> encodeRevalidateAsk(SessionId session, std::int32_t timeoutMs);
std::optional<Revalidation> decodeRevalidateAsk(std::span<const std::uint8_t> data);
std::vector<std::uint8_t> encodeRevalidateReply(SessionId session, bool valid);
std::optional<Revalidation> decodeRevalidateReply(std::span<const std::uint8_t> data);

} // namespace zk

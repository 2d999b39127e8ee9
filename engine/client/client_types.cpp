#include "client/client_types.h"

namespace zk::client {

std::string_view sessionStateName(SessionState state)
{
    switch (state) {
    case SessionState::Connecting:
        return "CONNECTING";
    case SessionState::Connected:
        return "CONNECTED";
    case SessionState::ConnectedReadOnly:
        return "CONNECTEDREADONLY";
    case SessionState::Suspended:
        return "SUSPENDED";
    case SessionState::Expired:
        return "EXPIRED";
    case SessionState::Closed:
        return "CLOSED";
    case SessionState::AuthFailed:
        return "AUTH_FAILED";
    }
    return "UNKNOWN";
}

KeeperState keeperStateOf(SessionState state)
{
    switch (state) {
    case SessionState::Connected:
        return KeeperState::SyncConnected;
    case SessionState::ConnectedReadOnly:
        return KeeperState::ConnectedReadOnly;
    case SessionState::Expired:
        return KeeperState::Expired;
    case SessionState::Closed:
        return KeeperState::Closed;
    case SessionState::AuthFailed:
        return KeeperState::AuthFailed;
    case SessionState::Connecting:
    case SessionState::Suspended:
        return KeeperState::Disconnected;
    }
    return KeeperState::Disconnected;
}

std::string toString(const WatchedEvent& event)
{
    std::string text = "WatchedEvent state:";
    text += keeperStateName(event.state);
    text += " type:";
    text += eventTypeName(event.type);
    text += " path:";
    text += event.path.empty() ? std::string("null") : event.path;
    return text;
}

} // namespace zk::client

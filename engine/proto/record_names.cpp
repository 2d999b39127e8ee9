#include "proto/record_names.h"

namespace zk {

std::string_view opName(OpCode type)
{
    switch (type) {
    case OpCode::Notification:
        return "notification";
    case OpCode::Create:
        return "create";
    case OpCode::Delete:
        return "delete";
    case OpCode::Exists:
        return "exists";
    case OpCode::GetData:
        return "getData";
    case OpCode::SetData:
        return "setData";
    case OpCode::GetAcl:
        return "getACL";
    case OpCode::SetAcl:
        return "setACL";
    case OpCode::GetChildren:
        return "getChildren";
    case OpCode::Sync:
        return "sync";
    case OpCode::Ping:
        return "ping";
    case OpCode::GetChildren2:
        return "getChildren2";
    case OpCode::Check:
        return "check";
    case OpCode::Multi:
        return "multi";
    case OpCode::Create2:
        return "create2";
    case OpCode::Reconfig:
        return "reconfig";
    case OpCode::CheckWatches:
        return "checkWatches";
    case OpCode::RemoveWatches:
        return "removeWatches";
    case OpCode::CreateContainer:
        return "createContainer";
    case OpCode::DeleteContainer:
        return "deleteContainer";
    case OpCode::CreateTtl:
        return "createTTL";
    case OpCode::MultiRead:
        return "multiRead";
    case OpCode::Auth:
        return "auth";
    case OpCode::SetWatches:
        return "setWatches";
    case OpCode::Sasl:
        return "sasl";
    case OpCode::GetEphemerals:
        return "getEphemerals";
    case OpCode::GetAllChildrenNumber:
        return "getAllChildrenNumber";
    case OpCode::SetWatches2:
        return "setWatches2";
    case OpCode::AddWatch:
        return "addWatch";
    case OpCode::WhoAmI:
        return "whoAmI";
    case OpCode::CreateSession:
        return "createSession";
    case OpCode::CloseSession:
        return "closeSession";
    case OpCode::Error:
        return "error";
    }
    return "unknown";
}

std::string_view eventTypeName(EventType type)
{
    switch (type) {
    case EventType::None:
        return "None";
    case EventType::NodeCreated:
        return "NodeCreated";
    case EventType::NodeDeleted:
        return "NodeDeleted";
    case EventType::NodeDataChanged:
        return "NodeDataChanged";
    case EventType::NodeChildrenChanged:
        return "NodeChildrenChanged";
    case EventType::DataWatchRemoved:
        return "DataWatchRemoved";
    case EventType::ChildWatchRemoved:
        return "ChildWatchRemoved";
    case EventType::PersistentWatchRemoved:
        return "PersistentWatchRemoved";
    }
    return "unknown";
}

std::string_view keeperStateName(KeeperState state)
{
    switch (state) {
    case KeeperState::Disconnected:
        return "Disconnected";
    case KeeperState::SyncConnected:
        return "SyncConnected";
    case KeeperState::AuthFailed:
        return "AuthFailed";
    case KeeperState::ConnectedReadOnly:
        return "ConnectedReadOnly";
    case KeeperState::SaslAuthenticated:
        return "SaslAuthenticated";
    case KeeperState::Expired:
        return "Expired";
    case KeeperState::Closed:
        return "Closed";
    }
    return "unknown";
}

} // namespace zk

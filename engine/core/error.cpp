#include "core/error.h"

namespace zk {

std::string_view errorName(ZError error)
{
    switch (error) {
    case ZError::Ok:
        return "OK";
    case ZError::SystemError:
        return "SystemError";
    case ZError::RuntimeInconsistency:
        return "RuntimeInconsistency";
    case ZError::DataInconsistency:
        return "DataInconsistency";
    case ZError::ConnectionLoss:
        return "ConnectionLoss";
    case ZError::MarshallingError:
        return "MarshallingError";
    case ZError::Unimplemented:
        return "Unimplemented";
    case ZError::OperationTimeout:
        return "OperationTimeout";
    case ZError::BadArguments:
        return "BadArguments";
    case ZError::UnknownSession:
        return "UnknownSession";
    case ZError::NewConfigNoQuorum:
        return "NewConfigNoQuorum";
    case ZError::ReconfigInProgress:
        return "ReconfigInProgress";
    case ZError::ApiError:
        return "APIError";
    case ZError::NoNode:
        return "NoNode";
    case ZError::NoAuth:
        return "NoAuth";
    case ZError::BadVersion:
        return "BadVersion";
    case ZError::NoChildrenForEphemerals:
        return "NoChildrenForEphemerals";
    case ZError::NodeExists:
        return "NodeExists";
    case ZError::NotEmpty:
        return "Directory not empty";
    case ZError::SessionExpired:
        return "Session expired";
    case ZError::InvalidCallback:
        return "Invalid callback";
    case ZError::InvalidAcl:
        return "InvalidACL";
    case ZError::AuthFailed:
        return "AuthFailed";
    case ZError::SessionMoved:
        return "Session moved";
    case ZError::NotReadOnly:
        return "Not a read-only call";
    case ZError::EphemeralOnLocalSession:
        return "Ephemeral node on local session";
    case ZError::NoWatcher:
        return "No such watcher";
    case ZError::RequestTimeout:
        return "RequestTimeout";
    case ZError::ReconfigDisabled:
        return "Reconfig is disabled";
    case ZError::SessionClosedRequireSaslAuth:
        return "Session closed because client failed to authenticate";
    case ZError::QuotaExceeded:
        return "Quota has exceeded";
    case ZError::ThrottledOp:
        return "Op throttled due to high load";
    }
    return "Unknown";
}

} // namespace zk

#include "models/acl_entry.h"

#include "data/acl_check.h"
#include "proto/opcodes.h"

#include <array>
#include <utility>

namespace zoolab {

namespace {

constexpr std::array<std::pair<std::int32_t, char>, 5> permLetters{{{zk::perms::Create, 'c'},
                                                                    {zk::perms::Delete, 'd'},
                                                                    {zk::perms::Read, 'r'},
                                                                    {zk::perms::Write, 'w'},
                                                                    {zk::perms::Admin, 'a'}}};

} // namespace

QStringList settableAclSchemes()
{
    return {QStringLiteral("world"), QStringLiteral("auth"), QStringLiteral("digest"),
            QStringLiteral("ip"), QStringLiteral("sasl")};
}

QString permissionText(std::int32_t perms)
{
    QString text;
    for (const auto& [bit, letter] : permLetters)
        text += (perms & bit) ? QChar::fromLatin1(letter) : QLatin1Char('-');
    return text;
}

std::int32_t permissionsFromText(const QString& letters)
{
    std::int32_t perms = 0;
    for (const QChar c : letters) {
        bool known = false;
        for (const auto& [bit, letter] : permLetters) {
            if (c == QLatin1Char(letter)) {
                perms |= bit;
                known = true;
            }
        }
        if (!known)
            return -1;
    }
    return perms;
}

QString digestId(const QString& user, const QString& password)
{
    // The engine's generateDigest is the server's own check (SHA-1 and base64 from OpenSSL);
    // using it keeps the studio and the server from ever disagreeing.
    const std::string credentials = (user + QLatin1Char(':') + password).toStdString();
    return QString::fromStdString(zk::generateDigest(credentials));
}

QString defaultAclId(const QString& scheme)
{
    if (scheme == QStringLiteral("world"))
        return QStringLiteral("anyone");
    return {};
}

QString aclEntryProblem(const QString& scheme, const QString& id, std::int32_t perms)
{
    if (perms == 0)
        return QStringLiteral("The %1 entry grants no permission; tick at least one of c d r w a.")
            .arg(scheme);
    if (scheme == QStringLiteral("super"))
        return QStringLiteral("\"super\" is the superuser's identity, not an ACL scheme; the "
                              "superuser may do everything whatever the ACL says.");
    if (scheme == QStringLiteral("world")) {
        if (id != QStringLiteral("anyone"))
            return QStringLiteral("The world scheme has one id, \"anyone\".");
        return {};
    }
    if (scheme == QStringLiteral("auth"))
        return {}; // the server fills in this session's credentials
    if (scheme == QStringLiteral("digest")) {
        if (!zk::isValidDigestAcl(id.toStdString()))
            return QStringLiteral("A digest id is \"user:hash\"; enter a user and password to "
                                  "compute the hash.");
        return {};
    }
    if (scheme == QStringLiteral("ip")) {
        if (!zk::isValidIpAcl(id.toStdString()))
            return QStringLiteral("\"%1\" is not an IP address or address/bits (e.g. 10.0.0.0/8 "
                                  "or 2001:db8::/32).")
                .arg(id);
        return {};
    }
    if (scheme == QStringLiteral("sasl")) {
        if (id.trimmed().isEmpty())
            return QStringLiteral("A sasl id is the client's principal, e.g. \"bob\".");
        return {};
    }
    return QStringLiteral("\"%1\" is not a scheme ZooKeeper accepts in an ACL (world, auth, "
                          "digest, ip, sasl).")
        .arg(scheme);
}

QString aclListProblem(const zk::AclList& acl)
{
    if (acl.empty())
        return QStringLiteral("An ACL needs at least one entry; ZooKeeper refuses an empty one.");
    for (const zk::Acl& entry : acl) {
        QString problem = aclEntryProblem(QString::fromStdString(entry.id.scheme),
                                          QString::fromStdString(entry.id.id), entry.perms);
        if (!problem.isEmpty())
            return problem;
    }
    return {};
}

bool grantsAdmin(const zk::AclList& acl)
{
    for (const zk::Acl& entry : acl) {
        if (entry.perms & zk::perms::Admin)
            return true;
    }
    return false;
}

} // namespace zoolab

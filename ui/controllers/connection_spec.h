#pragma once
// ConnectionSpec: what the "Connect to ensemble…" dialog collects, and the recent
// connections kept in QSettings. Plain values; GUI thread only (QSettings).
//
// Passwords are never written to QSettings: a recent entry keeps the digest user only.

#include <QList>
#include <QString>

namespace zoolab {

struct ConnectionSpec
{
    QString connectString = QStringLiteral("127.0.0.1:2181"); // hosts[/chroot]
    QString authUser;     // digest scheme "user:password"; empty for none
    QString authPassword; // kept in memory only
    int sessionTimeoutMs = 30000;
    bool canBeReadOnly = false;
    bool embedded = false; // the studio's own server (for labels only)

    // "127.0.0.1:2181/app" or "embedded · 127.0.0.1:2181"
    QString label() const;
    // Empty when valid, otherwise a sentence for the user.
    QString validate() const;
    bool sameTarget(const ConnectionSpec& other) const;
};

// Most recent first, at most maxRecent entries, de-duplicated by connect string and user.
QList<ConnectionSpec> loadRecentConnections();
void rememberConnection(const ConnectionSpec& spec);
constexpr int maxRecent = 10;

} // namespace zoolab

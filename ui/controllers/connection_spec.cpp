#include "controllers/connection_spec.h"

#include "client/connect_string.h"

#include <QSettings>

namespace zoolab {

QString ConnectionSpec::label() const
{
    QString text = connectString;
    if (!authUser.isEmpty())
        text = authUser + QLatin1Char('@') + text;
    if (embedded)
        text = QStringLiteral("embedded · ") + text;
    return text;
}

QString ConnectionSpec::validate() const
{
    std::string error;
    if (!zk::client::ConnectString::parse(connectString.trimmed().toStdString(), &error))
        return QStringLiteral("The connect string \"%1\" is not valid: %2.")
            .arg(connectString, QString::fromStdString(error));
    if (sessionTimeoutMs < 1000 || sessionTimeoutMs > 600000)
        return QStringLiteral("The session timeout must be between 1 and 600 seconds.");
    if (!authUser.isEmpty() && authUser.contains(QLatin1Char(':')))
        return QStringLiteral("The digest user name must not contain ':'.");
    return {};
}

bool ConnectionSpec::sameTarget(const ConnectionSpec& other) const
{
    return connectString.trimmed() == other.connectString.trimmed() && authUser == other.authUser;
}

QList<ConnectionSpec> loadRecentConnections()
{
    QSettings settings;
    QList<ConnectionSpec> recent;
    const int count = settings.beginReadArray(QStringLiteral("recentConnections"));
    for (int i = 0; i < count && i < maxRecent; ++i) {
        settings.setArrayIndex(i);
        ConnectionSpec spec;
        spec.connectString = settings.value(QStringLiteral("connectString")).toString();
        spec.authUser = settings.value(QStringLiteral("authUser")).toString();
        spec.sessionTimeoutMs = settings.value(QStringLiteral("sessionTimeoutMs"), 30000).toInt();
        spec.canBeReadOnly = settings.value(QStringLiteral("canBeReadOnly"), false).toBool();
        if (!spec.connectString.isEmpty())
            recent.push_back(spec);
    }
    settings.endArray();
    return recent;
}

void rememberConnection(const ConnectionSpec& spec)
{
    QList<ConnectionSpec> recent = loadRecentConnections();
    recent.removeIf([&](const ConnectionSpec& old) { return old.sameTarget(spec); });
    recent.prepend(spec);
    while (recent.size() > maxRecent)
        recent.removeLast();
    QSettings settings;
    settings.beginWriteArray(QStringLiteral("recentConnections"), int(recent.size()));
    for (int i = 0; i < recent.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("connectString"), recent[i].connectString.trimmed());
        settings.setValue(QStringLiteral("authUser"), recent[i].authUser);
        settings.setValue(QStringLiteral("sessionTimeoutMs"), recent[i].sessionTimeoutMs);
        settings.setValue(QStringLiteral("canBeReadOnly"), recent[i].canBeReadOnly);
    }
    settings.endArray();
}

} // namespace zoolab

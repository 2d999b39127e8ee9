#include "views/connect_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace zoolab {

ConnectDialog::ConnectDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Connect to ensemble"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_hosts = new QComboBox(this);
    m_hosts->setEditable(true);
    m_hosts->setMinimumWidth(360);
    m_hosts->setToolTip(QStringLiteral("host:port pairs separated by commas, e.g. "
                                       "zk1:2181,zk2:2181,zk3:2181"));
    m_recent = loadRecentConnections();
    for (const ConnectionSpec& spec : m_recent)
        m_hosts->addItem(spec.label());
    m_hosts->setEditText(m_recent.isEmpty() ? QStringLiteral("127.0.0.1:2181")
                                            : m_recent.first().connectString);
    form->addRow(QStringLiteral("&Servers:"), m_hosts);
    m_chroot = new QLineEdit(this);
    m_chroot->setPlaceholderText(QStringLiteral("optional, e.g. /app"));
    form->addRow(QStringLiteral("&Chroot:"), m_chroot);
    m_user = new QLineEdit(this);
    m_user->setPlaceholderText(QStringLiteral("digest user (optional)"));
    form->addRow(QStringLiteral("&User:"), m_user);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(QStringLiteral("not stored"));
    form->addRow(QStringLiteral("&Password:"), m_password);
    m_timeout = new QSpinBox(this);
    m_timeout->setRange(1, 600);
    m_timeout->setValue(30);
    m_timeout->setSuffix(QStringLiteral(" s"));
    form->addRow(QStringLiteral("Session &timeout:"), m_timeout);
    m_readOnly = new QCheckBox(QStringLiteral("Allow a read-only server"), this);
    form->addRow(QString(), m_readOnly);
    layout->addLayout(form);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #dc2626"));
    m_error->hide();
    layout->addWidget(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Connect"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    connect(m_hosts, &QComboBox::activated, this, &ConnectDialog::pickRecent);
}

void ConnectDialog::pickRecent(int row)
{
    if (row < 0 || row >= m_recent.size())
        return;
    ConnectionSpec spec = m_recent[row];
    setSpec(spec);
}

void ConnectDialog::setSpec(const ConnectionSpec& spec)
{
    const QString text = spec.connectString.trimmed();
    const int slash = text.indexOf(QLatin1Char('/'));
    m_hosts->setEditText(slash < 0 ? text : text.left(slash));
    m_chroot->setText(slash < 0 ? QString() : text.mid(slash));
    m_user->setText(spec.authUser);
    m_password->setText(spec.authPassword);
    m_timeout->setValue(spec.sessionTimeoutMs / 1000);
    m_readOnly->setChecked(spec.canBeReadOnly);
}

ConnectionSpec ConnectDialog::spec() const
{
    ConnectionSpec spec;
    QString hosts = m_hosts->currentText().trimmed();
    // A recent entry's label may carry "user@"; the user field holds that.
    if (const int at = hosts.indexOf(QLatin1Char('@')); at >= 0)
        hosts = hosts.mid(at + 1);
    QString chroot = m_chroot->text().trimmed();
    if (!chroot.isEmpty() && !chroot.startsWith(QLatin1Char('/')))
        chroot.prepend(QLatin1Char('/'));
    if (hosts.contains(QLatin1Char('/')))
        chroot.clear(); // the chroot was typed into the servers field
    spec.connectString = hosts + chroot;
    spec.authUser = m_user->text().trimmed();
    spec.authPassword = m_password->text();
    spec.sessionTimeoutMs = m_timeout->value() * 1000;
    spec.canBeReadOnly = m_readOnly->isChecked();
    return spec;
}

void ConnectDialog::accept()
{
    const QString problem = spec().validate();
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace zoolab

#include "views/create_node_dialog.h"

#include "client/connect_string.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace zoolab {

CreateNodeDialog::CreateNodeDialog(const QString& parentPath, QWidget* parent)
    : QDialog(parent), m_parentPath(parentPath)
{
    setWindowTitle(QStringLiteral("New znode"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->addRow(QStringLiteral("Parent:"), new QLabel(parentPath, this));
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(QStringLiteral("name (sequential modes append a counter)"));
    form->addRow(QStringLiteral("&Name:"), m_name);
    m_mode = new QComboBox(this);
    const QList<QPair<QString, zk::CreateMode>> modes = {
        {QStringLiteral("Persistent"), zk::CreateMode::Persistent},
        {QStringLiteral("Persistent sequential"), zk::CreateMode::PersistentSequential},
        {QStringLiteral("Ephemeral (lives with this session)"), zk::CreateMode::Ephemeral},
        {QStringLiteral("Ephemeral sequential"), zk::CreateMode::EphemeralSequential},
        {QStringLiteral("Container (removed when its last child goes)"), zk::CreateMode::Container},
        {QStringLiteral("Persistent with TTL"), zk::CreateMode::PersistentWithTtl},
        {QStringLiteral("Persistent sequential with TTL"),
         zk::CreateMode::PersistentSequentialWithTtl},
    };
    for (const auto& [label, mode] : modes)
        m_mode->addItem(label, int(mode));
    form->addRow(QStringLiteral("&Mode:"), m_mode);
    m_ttl = new QSpinBox(this);
    m_ttl->setRange(1, 1000000000);
    m_ttl->setValue(60000);
    m_ttl->setSuffix(QStringLiteral(" ms"));
    m_ttl->setEnabled(false);
    m_ttl->setToolTip(QStringLiteral("TTL nodes need zookeeper.extendedTypesEnabled=true on the "
                                     "server (the embedded server has it)"));
    form->addRow(QStringLiteral("&TTL:"), m_ttl);
    m_data = new QPlainTextEdit(this);
    m_data->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_data->setPlaceholderText(QStringLiteral("initial data as UTF-8 text (optional)"));
    form->addRow(QStringLiteral("&Data:"), m_data);
    layout->addLayout(form);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #dc2626"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Create"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &CreateNodeDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &CreateNodeDialog::reject);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        const auto current = mode();
        m_ttl->setEnabled(current == zk::CreateMode::PersistentWithTtl ||
                          current == zk::CreateMode::PersistentSequentialWithTtl);
    });
    resize(480, 320);
}

QString CreateNodeDialog::path() const
{
    const QString name = m_name->text().trimmed();
    return m_parentPath == QStringLiteral("/") ? QLatin1Char('/') + name
                                               : m_parentPath + QLatin1Char('/') + name;
}

zk::CreateMode CreateNodeDialog::mode() const
{
    return zk::CreateMode(m_mode->currentData().toInt());
}

qint64 CreateNodeDialog::ttlMs() const
{
    return m_ttl->isEnabled() ? m_ttl->value() : -1;
}

QByteArray CreateNodeDialog::data() const
{
    return m_data->toPlainText().toUtf8();
}

void CreateNodeDialog::accept()
{
    const auto current = mode();
    const bool sequential = current == zk::CreateMode::PersistentSequential ||
                            current == zk::CreateMode::EphemeralSequential ||
                            current == zk::CreateMode::PersistentSequentialWithTtl;
    const QString name = m_name->text().trimmed();
    std::string problem;
    if (name.isEmpty() && !sequential)
        problem = "Give the node a name.";
    else if (name.contains(QLatin1Char('/')))
        problem = "A name cannot contain '/'; create the parent first.";
    else
        problem = zk::client::validatePath(path().toStdString(), sequential);
    if (!problem.empty()) {
        m_error->setText(QString::fromStdString(problem));
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace zoolab

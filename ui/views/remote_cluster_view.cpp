#include "views/remote_cluster_view.h"

#include "controllers/remote_ensemble.h"
#include "models/cluster_model.h"
#include "models/studio_colors.h"
#include "models/vote_table_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace zoolab {

namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
    auto* table = new QTableView(parent);
    table->setModel(model);
    table->verticalHeader()->hide();
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    // Columns at least as wide as their titles, before any row arrives and after a reset.
    table->resizeColumnsToContents();
    QObject::connect(model, &QAbstractItemModel::modelReset, table,
                     [table] { table->resizeColumnsToContents(); });
    return table;
}

} // namespace

RemoteClusterView::RemoteClusterView(QWidget* parent)
    : QWidget(parent), m_ensemble(new RemoteEnsemble(this))
{
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    layout->addWidget(m_title);
    m_banner = new QLabel(QStringLiteral("polling…"), this);
    QFont bannerFont = m_banner->font();
    bannerFont.setPointSizeF(bannerFont.pointSizeF() * 1.4);
    bannerFont.setBold(true);
    m_banner->setFont(bannerFont);
    layout->addWidget(m_banner);
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    QPalette warning = m_explanation->palette();
    warning.setColor(QPalette::WindowText, studioColors().errorText);
    m_explanation->setPalette(warning);
    m_explanation->hide();
    layout->addWidget(m_explanation);

    auto* split = new QSplitter(Qt::Vertical, this);
    auto* serverBox = new QWidget(split);
    auto* serverLayout = new QVBoxLayout(serverBox);
    serverLayout->setContentsMargins(0, 0, 0, 0);
    serverLayout->addWidget(
        new QLabel(QStringLiteral("Servers (srvr and mntr, polled every second)"), serverBox));
    m_servers = makeTable(m_ensemble->clusterModel(), serverBox);
    serverLayout->addWidget(m_servers);
    auto* voteBox = new QWidget(split);
    auto* voteLayout = new QVBoxLayout(voteBox);
    voteLayout->setContentsMargins(0, 0, 0, 0);
    voteLayout->addWidget(new QLabel(QStringLiteral("Election votes (from zoolab event "
                                                    "endpoints)"),
                                     voteBox));
    m_votes = makeTable(m_ensemble->voteModel(), voteBox);
    voteLayout->addWidget(m_votes);
    auto* row = new QHBoxLayout;
    m_endpoints = new QLineEdit(voteBox);
    m_endpoints->setPlaceholderText(
        QStringLiteral("zoolab.eventPort endpoints, e.g. 10.0.0.1:7001,10.0.0.2:7001"));
    auto* watch = new QPushButton(QStringLiteral("Watch events"), voteBox);
    row->addWidget(m_endpoints, 1);
    row->addWidget(watch);
    voteLayout->addLayout(row);
    m_eventStatus = new QLabel(voteBox);
    m_eventStatus->setWordWrap(true);
    voteLayout->addWidget(m_eventStatus);
    split->addWidget(serverBox);
    split->addWidget(voteBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(watch, &QPushButton::clicked, this, [this] { watchEvents(m_endpoints->text()); });
    connect(m_endpoints, &QLineEdit::returnPressed, this,
            [this] { watchEvents(m_endpoints->text()); });
    connect(m_ensemble, &RemoteEnsemble::changed, this, &RemoteClusterView::refresh);
    connect(m_ensemble, &RemoteEnsemble::polled, this, &RemoteClusterView::refresh);
}

QString RemoteClusterView::start(const QString& connectString)
{
    m_title->setText(QStringLiteral("Remote ensemble %1").arg(connectString));
    return m_ensemble->start(connectString);
}

void RemoteClusterView::watchEvents(const QString& endpoints)
{
    QStringList list;
    for (const QString& part : endpoints.split(QLatin1Char(','), Qt::SkipEmptyParts))
        list << part.trimmed();
    if (m_endpoints->text() != endpoints)
        m_endpoints->setText(endpoints);
    m_ensemble->watchEvents(list);
}

void RemoteClusterView::refresh()
{
    m_banner->setText(m_ensemble->bannerText());
    const QString explanation = m_ensemble->explanation();
    m_explanation->setText(explanation);
    m_explanation->setVisible(!explanation.isEmpty());
    m_eventStatus->setText(m_ensemble->eventStatus().join(QLatin1Char('\n')));
    if (!m_servers->property("sized").toBool() && m_ensemble->pollCount() > 0) {
        m_servers->resizeColumnsToContents();
        m_servers->setProperty("sized", true);
    }
}

} // namespace zoolab

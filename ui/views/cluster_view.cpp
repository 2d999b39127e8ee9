#include "views/cluster_view.h"

#include "controllers/cluster_controller.h"
#include "models/event_timeline_model.h"
#include "models/link_model.h"
#include "models/queue_model.h"
#include "models/session_table_model.h"
#include "models/vote_table_model.h"
#include "models/zab_write_model.h"
#include "views/cluster_charts.h"
#include "views/cluster_scene.h"
#include "views/lesson_panel.h"
#include "views/replay_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace zoolab {

namespace {

struct Speed
{
    const char* label;
    int divisor; // 1/divisor of real time
};

constexpr Speed speeds[] = {{"1× real time", 1}, {"1/2", 2},   {"1/5", 5},
                            {"1/10", 10},        {"1/30", 30}, {"1/100", 100}};

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
    auto* table = new QTableView(parent);
    table->setModel(model);
    table->verticalHeader()->hide();
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setHighlightSections(false);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    return table;
}

// Hides proposals, acks and commits unless asked for: under load they would bury the rest.
class TimelineFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setShowTraffic(bool show)
    {
        m_showTraffic = show;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        if (m_showTraffic)
            return true;
        const QModelIndex index = sourceModel()->index(row, 0, parent);
        return index.data(EventTimelineModel::CategoryRole).toString() != QLatin1String("traffic");
    }

private:
    bool m_showTraffic = false;
};

// Keeps the whole scene in view whatever size the splitters give it.
class FittingGraphicsView : public QGraphicsView
{
public:
    using QGraphicsView::QGraphicsView;

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        QGraphicsView::resizeEvent(event);
        if (scene())
            fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    }
};

} // namespace

ClusterView::ClusterView(ClusterController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 6);
    layout->setSpacing(6);

    auto* top = new QHBoxLayout();
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("clusterBanner"));
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_banner, 1);
    m_killLeader = new QPushButton(QStringLiteral("Kill the leader"), this);
    m_killLeader->setObjectName(QStringLiteral("killLeaderButton"));
    m_killLeader->setToolTip(QStringLiteral("Kill the serving leader (a crash: its dataDir stays) "
                                            "and watch the others elect a new one"));
    connect(m_killLeader, &QPushButton::clicked, controller, &ClusterController::killLeader);
    top->addWidget(m_killLeader);
    top->addSpacing(12);
    auto* speedLabel = new QLabel(QStringLiteral("Speed:"), this);
    top->addWidget(speedLabel);
    m_speed = new QComboBox(this);
    m_speed->setObjectName(QStringLiteral("speedBox"));
    for (const Speed& speed : speeds)
        m_speed->addItem(QString::fromUtf8(speed.label),
                         int(ClusterController::delayForSpeed(speed.divisor).count()));
    m_speed->setToolTip(QStringLiteral("Slow motion: every message on every link (votes, "
                                       "proposals, acks, commits) waits this much longer, so an "
                                       "election or a write unfolds visibly"));
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_controller->setElectionDelay(std::chrono::milliseconds(m_speed->itemData(index).toInt()));
    });
    top->addWidget(m_speed);
    m_pauseDelivery = new QPushButton(QStringLiteral("Pause delivery"), this);
    m_pauseDelivery->setObjectName(QStringLiteral("pauseDeliveryButton"));
    m_pauseDelivery->setCheckable(true);
    m_pauseDelivery->setToolTip(QStringLiteral("Hold every message on every link; Step delivers "
                                               "the oldest one. Held too long, followers lose "
                                               "their leader after syncLimit, as in a real "
                                               "network outage"));
    connect(m_pauseDelivery, &QPushButton::toggled, controller,
            &ClusterController::setDeliveryHeld);
    top->addWidget(m_pauseDelivery);
    m_step = new QPushButton(QStringLiteral("Step"), this);
    m_step->setObjectName(QStringLiteral("stepButton"));
    m_step->setToolTip(QStringLiteral("Deliver the oldest held message"));
    m_step->setEnabled(false);
    connect(m_step, &QPushButton::clicked, controller, &ClusterController::stepDelivery);
    top->addWidget(m_step);
    auto* heal = new QPushButton(QStringLiteral("Heal all links"), this);
    connect(heal, &QPushButton::clicked, this, [this] {
        for (const auto& [a, b] : m_controller->linkModel()->cutLinks())
            m_controller->setLinkCut(a, b, false);
    });
    top->addWidget(heal);
    layout->addLayout(top);
    m_replayBar = new ReplayBar(controller, this);
    layout->addWidget(m_replayBar);

    m_held = new QLabel(this);
    m_held->setObjectName(QStringLiteral("heldLabel"));
    m_held->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_held->setWordWrap(true);
    m_held->setStyleSheet(QStringLiteral("QLabel#heldLabel { background: #fef3c7; color: #78350f; "
                                         "border-radius: 4px; padding: 3px 8px; }"));
    m_held->hide();
    layout->addWidget(m_held);

    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->hide();
    layout->addWidget(m_note);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_split = split;
    auto* upper = new QSplitter(Qt::Horizontal, split);
    m_scene = new ClusterScene(controller, this);
    m_graphics = new FittingGraphicsView(m_scene, upper);
    m_graphics->setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    m_graphics->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_graphics->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_graphics->setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    m_graphics->setFrameShape(QFrame::StyledPanel);
    m_graphics->setMinimumSize(420, 240);

    m_detailTabs = new QTabWidget(upper);
    auto* votesPage = new QWidget(m_detailTabs);
    auto* votesLayout = new QVBoxLayout(votesPage);
    votesLayout->setContentsMargins(4, 4, 4, 4);
    auto* votesTitle =
        new QLabel(QStringLiteral("Who proposes whom, and the rule of each change"), votesPage);
    votesLayout->addWidget(votesTitle);
    auto* voteTable = makeTable(controller->voteModel(), votesPage);
    voteTable->setObjectName(QStringLiteral("voteTable"));
    votesLayout->addWidget(voteTable, 3);
    auto* linksTitle = new QLabel(QStringLiteral("Links (click one in the picture to cut or heal "
                                                 "it)"),
                                  votesPage);
    votesLayout->addWidget(linksTitle);
    auto* linkTable = makeTable(controller->linkModel(), votesPage);
    linkTable->setObjectName(QStringLiteral("linkTable"));
    votesLayout->addWidget(linkTable, 2);
    m_detailTabs->addTab(votesPage, QStringLiteral("Votes and links"));
    auto* writesPage = new QWidget(m_detailTabs);
    auto* writesLayout = new QVBoxLayout(writesPage);
    writesLayout->setContentsMargins(4, 4, 4, 4);
    m_writesCaption = new QLabel(writesPage);
    m_writesCaption->setWordWrap(true);
    writesLayout->addWidget(m_writesCaption);
    auto* writeTable = makeTable(controller->writeModel(), writesPage);
    writeTable->setObjectName(QStringLiteral("writeTable"));
    // The acks column grows with the ensemble; it takes the room, so the table never scrolls
    // sideways.
    writeTable->horizontalHeader()->setStretchLastSection(false);
    writeTable->horizontalHeader()->setSectionResizeMode(ZabWriteModel::AcksColumn,
                                                         QHeaderView::Stretch);
    writeTable->horizontalHeader()->setSectionResizeMode(ZabWriteModel::StateColumn,
                                                         QHeaderView::ResizeToContents);
    writesLayout->addWidget(writeTable, 1);
    m_detailTabs->addTab(writesPage, QStringLiteral("Writes (ZAB)"));
    connect(controller->writeModel(), &QAbstractItemModel::rowsInserted, writeTable,
            [writeTable] { writeTable->scrollToBottom(); });
    auto* serverTable = makeTable(controller->clusterModel(), m_detailTabs);
    serverTable->setObjectName(QStringLiteral("serverTable"));
    m_detailTabs->addTab(serverTable, QStringLiteral("Servers"));
    auto* sessionsPage = new QWidget(m_detailTabs);
    auto* sessionsLayout = new QVBoxLayout(sessionsPage);
    sessionsLayout->setContentsMargins(4, 4, 4, 4);
    sessionsLayout->addWidget(
        new QLabel(QStringLiteral("Queues of sequential ephemerals (locks, elections), head first"),
                   sessionsPage));
    auto* queueTable = makeTable(controller->queueModel(), sessionsPage);
    queueTable->setObjectName(QStringLiteral("queueTable"));
    sessionsLayout->addWidget(queueTable, 3);
    sessionsLayout->addWidget(
        new QLabel(QStringLiteral("Sessions: the server each is attached to, and its ephemerals"),
                   sessionsPage));
    auto* sessionTable = makeTable(controller->sessionModel(), sessionsPage);
    sessionTable->setObjectName(QStringLiteral("sessionTable"));
    sessionsLayout->addWidget(sessionTable, 2);
    m_detailTabs->addTab(sessionsPage, QStringLiteral("Sessions"));
    m_sessionsPage = sessionsPage;
    for (QTableView* table : {queueTable, sessionTable}) {
        auto fit = [table] { table->resizeColumnsToContents(); };
        connect(table->model(), &QAbstractItemModel::modelReset, table, fit);
        connect(table->model(), &QAbstractItemModel::rowsInserted, table, fit);
    }
    m_lessonPanel = new LessonPanel(controller, m_detailTabs);
    m_detailTabs->addTab(m_lessonPanel, QStringLiteral("Lessons"));
    connect(m_lessonPanel, &LessonPanel::lessonStarted, this,
            [this] { m_detailTabs->setCurrentWidget(m_lessonPanel); });
    for (QTableView* table : {voteTable, linkTable, serverTable, writeTable}) {
        connect(table->model(), &QAbstractItemModel::modelReset, table,
                [table] { table->resizeColumnsToContents(); });
        connect(table->model(), &QAbstractItemModel::dataChanged, table, [table] {
            // Widen columns to new contents only; never shrink them under the user's hand.
            for (int c = 0; c < table->model()->columnCount() - 1; ++c)
                table->setColumnWidth(
                    c, std::max(table->columnWidth(c),
                                static_cast<QAbstractItemView*>(table)->sizeHintForColumn(c)));
        });
    }
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    upper->setSizes({760, 520});

    m_historyTabs = new QTabWidget(split);
    m_historyTabs->addTab(buildTimeline(), QStringLiteral("Timeline"));
    m_charts = new ClusterCharts(controller, m_historyTabs);
    m_historyTabs->addTab(m_charts, QStringLiteral("Charts"));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    m_footer = new QLabel(this);
    m_footer->setWordWrap(true);
    m_footer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette footerPalette = m_footer->palette();
    footerPalette.setColor(QPalette::WindowText, footerPalette.color(QPalette::PlaceholderText));
    m_footer->setPalette(footerPalette);
    layout->addWidget(m_footer);

    connect(controller, &ClusterController::bannerChanged, this, &ClusterView::updateBanner);
    // While replaying, the timeline table shows the opened file with the row reached selected.
    connect(controller, &ClusterController::replayChanged, this, [this] {
        EventTimelineModel* source = m_controller->replaying() ? m_controller->replayTimelineModel()
                                                               : m_controller->timelineModel();
        if (m_timelineFilter->sourceModel() != source)
            m_timelineFilter->setSourceModel(source);
        if (!m_controller->replaying() || m_controller->replayPosition() == 0)
            return;
        const QModelIndex row =
            m_timelineFilter->mapFromSource(source->index(m_controller->replayPosition() - 1, 0));
        if (!row.isValid())
            return;
        m_timelineView->selectRow(row.row());
        m_timelineView->scrollTo(row, QAbstractItemView::PositionAtCenter);
    });
    connect(controller, &ClusterController::electionDelayChanged, this, [this](int delayMs) {
        const QSignalBlocker blocker(m_speed);
        const int index = m_speed->findData(delayMs);
        if (index >= 0)
            m_speed->setCurrentIndex(index);
    });
    connect(controller, &ClusterController::deliveryChanged, this, &ClusterView::updateDelivery);
    connect(controller, &ClusterController::eventsArrived, this, &ClusterView::updateWrites);
    connect(controller->writeModel(), &QAbstractItemModel::modelReset, this,
            &ClusterView::updateWrites);
    updateBanner(controller->bannerText());
    updateDelivery();
    updateWrites();
}

void ClusterView::updateDelivery()
{
    const bool held = m_controller->deliveryHeld();
    {
        const QSignalBlocker blocker(m_pauseDelivery);
        m_pauseDelivery->setChecked(held);
    }
    m_pauseDelivery->setText(held ? QStringLiteral("Resume delivery")
                                  : QStringLiteral("Pause delivery"));
    m_step->setEnabled(held);
    m_held->setVisible(held);
    if (!held)
        return;
    const QString next = m_controller->nextHeldText();
    m_held->setText(QStringLiteral("Delivery paused · %1 held · %2 stepped · next: %3")
                        .arg(m_controller->heldCount())
                        .arg(m_controller->stepsTaken())
                        .arg(next.isEmpty() ? QStringLiteral("(nothing waits yet)") : next));
}

void ClusterView::updateWrites()
{
    const ZabWriteModel* writes = m_controller->writeModel();
    QString text = QStringLiteral("Each write: the leader's PROPOSAL, the followers' ACKs until "
                                  "a quorum (the leader's own ack counts), then COMMIT. zxid is "
                                  "epoch:counter.");
    if (writes->proposals() > 0)
        text += QStringLiteral(" %1 proposals seen").arg(writes->proposals());
    if (writes->unsampled() > 0)
        text += QStringLiteral(", %1 not drawn (at most %2 per second are)")
                    .arg(writes->unsampled())
                    .arg(1000 / ZabWriteModel::sampleIntervalMs);
    else if (writes->proposals() > 0)
        text += QStringLiteral(".");
    m_writesCaption->setText(text);
}

QWidget* ClusterView::buildTimeline()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* row = new QHBoxLayout();
    m_showTraffic = new QCheckBox(QStringLiteral("Show proposals, acks and commits"), page);
    row->addWidget(m_showTraffic);
    row->addStretch(1);
    auto* openButton = new QPushButton(QStringLiteral("Open for replay…"), page);
    openButton->setToolTip(QStringLiteral("Open an exported timeline and scrub through it"));
    connect(openButton, &QPushButton::clicked, this, &ClusterView::openTimelineDialog);
    row->addWidget(openButton);
    auto* exportButton = new QPushButton(QStringLiteral("Export as JSON lines…"), page);
    row->addWidget(exportButton);
    layout->addLayout(row);
    auto* filter = new TimelineFilter(page);
    filter->setSourceModel(m_controller->timelineModel());
    m_timelineFilter = filter;
    m_timelineView = makeTable(filter, page);
    m_timelineView->setObjectName(QStringLiteral("timelineTable"));
    m_timelineView->horizontalHeader()->resizeSection(EventTimelineModel::TimeColumn, 80);
    m_timelineView->horizontalHeader()->resizeSection(EventTimelineModel::ServerColumn, 60);
    m_timelineView->horizontalHeader()->resizeSection(EventTimelineModel::KindColumn, 140);
    layout->addWidget(m_timelineView, 1);
    connect(m_showTraffic, &QCheckBox::toggled, this,
            [filter](bool show) { filter->setShowTraffic(show); });
    // Follow new rows while the view is scrolled to the bottom.
    auto atBottom = std::make_shared<bool>(true);
    connect(filter, &QAbstractItemModel::rowsAboutToBeInserted, this, [this, atBottom] {
        const QScrollBar* bar = m_timelineView->verticalScrollBar();
        *atBottom = bar->value() >= bar->maximum() - 2;
    });
    connect(filter, &QAbstractItemModel::rowsInserted, this, [this, atBottom] {
        if (*atBottom)
            m_timelineView->scrollToBottom();
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, QStringLiteral("Export the timeline"), QStringLiteral("zoolab-timeline.jsonl"),
            QStringLiteral("JSON lines (*.jsonl *.json);;All files (*)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!exportTimeline(path, &error))
            QMessageBox::warning(this, QStringLiteral("Export the timeline"),
                                 QStringLiteral("Could not write %1: %2").arg(path, error));
    });
    return page;
}

bool ClusterView::exportTimeline(const QString& path, QString* error)
{
    return m_controller->timelineModel()->exportJsonLines(path, error);
}

bool ClusterView::openTimeline(const QString& path, QString* error)
{
    return m_controller->openTimeline(path, error);
}

void ClusterView::openTimelineDialog()
{
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("Open a timeline"), {},
                                     QStringLiteral("JSON lines (*.jsonl *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openTimeline(path, &error))
        QMessageBox::warning(this, QStringLiteral("Open a timeline"),
                             QStringLiteral("Could not open %1: %2").arg(path, error));
}

void ClusterView::setNote(const QString& note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void ClusterView::setFooter(const QString& text)
{
    m_footer->setText(text);
}

void ClusterView::setElectionDelayMs(int delayMs)
{
    const int index = m_speed->findData(delayMs);
    if (index >= 0)
        m_speed->setCurrentIndex(index);
}

void ClusterView::showCharts()
{
    m_historyTabs->setCurrentWidget(m_charts);
    // Two rows of charts need some height to be read: at least 62% of the view, once it is
    // laid out.
    QTimer::singleShot(0, this, [this] {
        const QList<int> sizes = m_split->sizes();
        const int total = sizes.value(0) + sizes.value(1);
        if (total > 0 && sizes.value(1) < total * 62 / 100)
            m_split->setSizes({total * 38 / 100, total * 62 / 100});
        m_charts->refresh();
    });
}

void ClusterView::showWrites()
{
    m_detailTabs->setCurrentWidget(m_writesCaption->parentWidget());
}

void ClusterView::showSessions()
{
    m_detailTabs->setCurrentWidget(m_sessionsPage);
}

void ClusterView::showTimeline()
{
    m_historyTabs->setCurrentIndex(0);
}

void ClusterView::updateBanner(const QString& text)
{
    QColor color(0x6b, 0x72, 0x80);
    if (text.startsWith(QLatin1String("serving")))
        color = QColor(0x15, 0x80, 0x3d);
    else if (text.contains(QLatin1String("no quorum")))
        color = QColor(0xb9, 0x1c, 0x1c);
    else if (text.startsWith(QLatin1String("electing")))
        color = QColor(0xb4, 0x53, 0x09);
    else if (text.startsWith(QLatin1String("replay")))
        color = QColor(0x6d, 0x28, 0xd9);
    m_banner->setStyleSheet(QStringLiteral("QLabel#clusterBanner { background: %1; color: white; "
                                           "border-radius: 6px; padding: 6px 12px; "
                                           "font-size: 15pt; font-weight: bold; }")
                                .arg(color.name()));
    m_banner->setText(text.isEmpty() ? QStringLiteral("no embedded ensemble") : text);
    m_killLeader->setEnabled(m_controller->attached());
}

void ClusterView::fitScene()
{
    m_graphics->fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
}

void ClusterView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    QTimer::singleShot(0, this, &ClusterView::fitScene);
}

void ClusterView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    QTimer::singleShot(0, this, &ClusterView::fitScene);
}

} // namespace zoolab

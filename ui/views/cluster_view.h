#pragma once
// ClusterView: the studio's home view of the embedded ensemble (the "Cluster" tab). A banner
// says whether it serves ("serving, leader 2", "1 of 3 alive: no quorum"); beside it "Kill the
// leader", the speed (1x down to 1/100: every link's messages delayed), "Pause delivery" and
// "Step" (held delivery; a strip shows how many messages wait and the next one) and "Heal all
// links". Below, the live scene (ClusterScene) next to the vote table, the writes (ZAB) table,
// the server table and the link table; under them the event timeline (filterable, exportable to
// JSON lines) and the charts (ClusterCharts).
//
// Thread: GUI thread. Actions go to the ClusterController; the view never touches the engine.
// Ownership: owns its widgets and scene; the controller must outlive it.

#include <QWidget>

class QCheckBox;
class QComboBox;
class QGraphicsView;
class QLabel;
class QPushButton;
class QSplitter;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace zoolab {

class ClusterCharts;
class ClusterController;
class ClusterScene;
class LessonPanel;
class ReplayBar;

class ClusterView : public QWidget
{
    Q_OBJECT
public:
    explicit ClusterView(ClusterController* controller, QWidget* parent = nullptr);

    // A line under the banner (why no ensemble runs, which ports it moved to, ...).
    void setNote(const QString& note);
    // Where the servers keep their data and how clients reach them.
    void setFooter(const QString& text);

    ClusterScene* scene() const { return m_scene; }
    QGraphicsView* graphicsView() const { return m_graphics; }
    QLabel* banner() const { return m_banner; }
    QComboBox* speedBox() const { return m_speed; }
    QPushButton* pauseDeliveryButton() const { return m_pauseDelivery; }
    QPushButton* stepButton() const { return m_step; }
    QLabel* heldLabel() const { return m_held; }
    QTabWidget* detailTabs() const { return m_detailTabs; }
    QTabWidget* historyTabs() const { return m_historyTabs; }
    ClusterCharts* charts() const { return m_charts; }
    QTableView* timelineView() const { return m_timelineView; }
    // Selects the speed whose link delay is delayMs (0, 20, 50, 100, 300, 1000 for 1x..1/100).
    void setElectionDelayMs(int delayMs);
    void showCharts();
    void showTimeline();
    void showWrites();   // the Writes (ZAB) tab
    void showSessions(); // the Sessions tab: lock queues and where each session is attached
    bool exportTimeline(const QString& path, QString* error);
    // Opens an exported timeline for replay (ReplayBar); false and why when it cannot.
    bool openTimeline(const QString& path, QString* error);
    // Asks for a file, opens it, and says why when it cannot.
    void openTimelineDialog();
    ReplayBar* replayBar() const { return m_replayBar; }
    LessonPanel* lessonPanel() const { return m_lessonPanel; }

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    QWidget* buildTimeline();
    void updateBanner(const QString& text);
    void updateDelivery();
    void updateWrites();
    void fitScene();

    ClusterController* m_controller = nullptr;
    ClusterScene* m_scene = nullptr;
    QGraphicsView* m_graphics = nullptr;
    QLabel* m_banner = nullptr;
    QLabel* m_note = nullptr;
    QLabel* m_footer = nullptr;
    QPushButton* m_killLeader = nullptr;
    QComboBox* m_speed = nullptr;
    QPushButton* m_pauseDelivery = nullptr;
    QPushButton* m_step = nullptr;
    QLabel* m_held = nullptr;
    QLabel* m_writesCaption = nullptr;
    QTabWidget* m_detailTabs = nullptr;
    QTabWidget* m_historyTabs = nullptr;
    QSplitter* m_split = nullptr;
    QTableView* m_timelineView = nullptr;
    QSortFilterProxyModel* m_timelineFilter = nullptr;
    QCheckBox* m_showTraffic = nullptr;
    ClusterCharts* m_charts = nullptr;
    ReplayBar* m_replayBar = nullptr;
    LessonPanel* m_lessonPanel = nullptr;
    QWidget* m_sessionsPage = nullptr;
};

} // namespace zoolab

#pragma once
// ClusterCharts: one Qt Charts chart per server of the embedded ensemble, drawn from the
// controller's MetricsSeries: the zxid counter (left axis), sessions and requests/s derived from
// commits (right axis), over the last windowS seconds. Periods when the server was down,
// paused or cut off are shaded, and every change of the serving leader is a labelled vertical
// line. A QTimer redraws every series in bulk (QXYSeries::replace) at refreshMs while visible.
//
// Thread: GUI thread. Reads the controller; owns its charts.

#include <QChartView>
#include <QWidget>

#include <map>

class QLineSeries;
class QTimer;
class QValueAxis;

namespace zoolab {

class ClusterController;
class MetricsSeries;

// A chart view that shades outages and marks leader changes over the plot area.
class ServerChartView : public QChartView
{
public:
    ServerChartView(const MetricsSeries& metrics, qint64 sid, QWidget* parent = nullptr);
    void refresh(double fromS, double toS, const QString& title);
    QLineSeries* zxidSeries() const { return m_zxid; }
    QLineSeries* sessionSeries() const { return m_sessions; }
    QLineSeries* rateSeries() const { return m_rate; }

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    qreal xAt(double seconds) const;

    const MetricsSeries& m_metrics;
    qint64 m_sid = 0;
    QLineSeries* m_zxid = nullptr;
    QLineSeries* m_sessions = nullptr;
    QLineSeries* m_rate = nullptr;
    QValueAxis* m_time = nullptr;
    QValueAxis* m_counter = nullptr;
    QValueAxis* m_small = nullptr;
};

class ClusterCharts : public QWidget
{
    Q_OBJECT
public:
    explicit ClusterCharts(ClusterController* controller, QWidget* parent = nullptr);
    void refresh();
    ServerChartView* chart(qint64 sid) const;

    static constexpr int refreshMs = 500;
    static constexpr double windowS = 120;

private:
    void rebuild();

    ClusterController* m_controller = nullptr;
    QTimer* m_timer = nullptr;
    std::map<qint64, ServerChartView*> m_charts;
};

} // namespace zoolab

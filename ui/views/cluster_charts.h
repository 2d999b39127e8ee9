#pragma once
// ClusterCharts: two Qt Charts charts per server of the embedded ensemble, drawn from the
// controller's MetricsSeries over the last windowS seconds: activity (the zxid counter on the
// left axis, sessions and requests/s derived from commits on the right) above traffic
// (reply latency p50 and p99 in ms on the left, outstanding requests and watches on the
// right). Periods when the server was down,
// paused or cut off are shaded, and every change of the serving leader is a labelled vertical
// line. A QTimer redraws every series in bulk (QXYSeries::replace) at refreshMs while visible.
//
// Thread: GUI thread. Reads the controller; owns its charts.

#include <QChartView>
#include <QWidget>

#include "bridge/engine_ensemble.h"

#include <QPointF>

#include <deque>
#include <map>
#include <vector>

class QLineSeries;
class QTimer;
class QValueAxis;

namespace zoolab {

class ClusterController;
class MetricsSeries;

enum class ChartKind
{
    Activity, // zxid counter; sessions, requests/s
    Traffic   // latency p50, p99 (ms); outstanding requests, watches
};

// A chart view that shades outages and marks leader changes over the plot area.
class ServerChartView : public QChartView
{
public:
    ServerChartView(const MetricsSeries& metrics, qint64 sid, ChartKind kind = ChartKind::Activity,
                    QWidget* parent = nullptr);
    void refresh(double fromS, double toS, const QString& title);
    ChartKind kind() const { return m_kind; }
    // Activity: zxid counter, sessions, requests/s. Traffic: p50, p99, outstanding, watches.
    QLineSeries* series(int index) const;
    QLineSeries* zxidSeries() const { return series(0); }
    QLineSeries* sessionSeries() const { return series(1); }
    QLineSeries* rateSeries() const { return series(2); }

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    qreal xAt(double seconds) const;

    struct Line
    {
        QLineSeries* series = nullptr;
        const std::deque<QPointF>& (MetricsSeries::*points)(zk::Sid) const = nullptr;
        bool left = true; // which value axis
    };

    const MetricsSeries& m_metrics;
    qint64 m_sid = 0;
    ChartKind m_kind = ChartKind::Activity;
    std::vector<Line> m_lines;
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
    ServerChartView* trafficChart(qint64 sid) const;

    static constexpr int refreshMs = 500;
    static constexpr double windowS = 120;

private:
    void rebuild();

    ClusterController* m_controller = nullptr;
    QTimer* m_timer = nullptr;
    std::map<qint64, ServerChartView*> m_charts;
    std::map<qint64, ServerChartView*> m_traffic;
};

} // namespace zoolab

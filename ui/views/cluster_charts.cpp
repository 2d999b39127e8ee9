#include "views/cluster_charts.h"

#include "controllers/cluster_controller.h"
#include "models/metrics_series.h"
#include "models/studio_colors.h"
#include "views/cluster_items.h"

#include <QApplication>
#include <QChart>
#include <QGridLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace zoolab {

namespace {

QList<QPointF> pointsIn(const std::deque<QPointF>& points, double fromS)
{
    QList<QPointF> out;
    auto first = std::lower_bound(points.begin(), points.end(), fromS,
                                  [](const QPointF& p, double s) { return p.x() < s; });
    if (first != points.begin())
        --first; // one point before the window, so the line starts at its left edge
    out.reserve(qsizetype(points.end() - first));
    for (auto it = first; it != points.end(); ++it)
        out.append(*it);
    return out;
}

double niceCeiling(double value)
{
    if (value <= 5)
        return 5;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (value <= step * magnitude)
            return step * magnitude;
    }
    return 10 * magnitude;
}

QColor outageColor(OutageKind kind)
{
    switch (kind) {
    case OutageKind::Down:
        return QColor(0xdc, 0x26, 0x26, 46);
    case OutageKind::Paused:
        return QColor(0x7c, 0x3a, 0xed, 46);
    case OutageKind::CutOff:
        return QColor(0xf5, 0x9e, 0x0b, 56);
    }
    return {};
}

QString outageName(OutageKind kind)
{
    switch (kind) {
    case OutageKind::Down:
        return QStringLiteral("down");
    case OutageKind::Paused:
        return QStringLiteral("paused");
    case OutageKind::CutOff:
        return QStringLiteral("cut off");
    }
    return {};
}

} // namespace

ServerChartView::ServerChartView(const MetricsSeries& metrics, qint64 sid, ChartKind kind,
                                 QWidget* parent)
    : QChartView(parent), m_metrics(metrics), m_sid(sid), m_kind(kind)
{
    auto* chart = new QChart();
    const bool dark = isDarkPalette(QApplication::palette());
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundRoundness(4);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    QFont legendFont = chart->legend()->font();
    legendFont.setPointSizeF(8);
    chart->legend()->setFont(legendFont);
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(9);
    chart->setTitleFont(titleFont);
    chart->setAnimationOptions(QChart::NoAnimation);
    struct Spec
    {
        const char* name;
        QColor color;
        const std::deque<QPointF>& (MetricsSeries::*points)(zk::Sid) const;
        bool left;
    };
    const bool activity = kind == ChartKind::Activity;
    const std::vector<Spec> specs =
        activity
            ? std::vector<Spec>{{"zxid counter", QColor(0x25, 0x63, 0xeb),
                                 &MetricsSeries::zxidCounter, true},
                                {"sessions", QColor(0x16, 0xa3, 0x4a), &MetricsSeries::sessions,
                                 false},
                                {"requests/s", QColor(0xea, 0x58, 0x0c),
                                 &MetricsSeries::requestRate, false}}
            : std::vector<Spec>{
                  {"p50 ms", QColor(0x0d, 0x94, 0x88), &MetricsSeries::latencyP50, true},
                  {"p99 ms", QColor(0xdb, 0x27, 0x77), &MetricsSeries::latencyP99, true},
                  {"outstanding", QColor(0xca, 0x8a, 0x04), &MetricsSeries::outstanding, false},
                  {"watches", QColor(0x63, 0x66, 0xf1), &MetricsSeries::watches, false}};
    m_time = new QValueAxis(chart);
    m_time->setTitleText(QStringLiteral("seconds"));
    m_time->setLabelFormat(QStringLiteral("%d"));
    // Ticks on round seconds, whatever the window's edges are.
    m_time->setTickType(QValueAxis::TicksDynamic);
    m_time->setTickAnchor(0);
    m_time->setTitleVisible(activity); // the traffic chart sits right below, on the same axis
    m_counter = new QValueAxis(chart);
    m_counter->setLabelFormat(activity ? QStringLiteral("%d") : QStringLiteral("%.1f"));
    m_counter->setTitleText(activity ? QStringLiteral("zxid counter")
                                     : QStringLiteral("latency ms"));
    m_small = new QValueAxis(chart);
    m_small->setLabelFormat(QStringLiteral("%d"));
    m_small->setTitleText(activity ? QStringLiteral("sessions, req/s")
                                   : QStringLiteral("outstanding, watches"));
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_counter, Qt::AlignLeft);
    chart->addAxis(m_small, Qt::AlignRight);
    for (const Spec& spec : specs) {
        auto* series = new QLineSeries(chart);
        series->setName(QString::fromLatin1(spec.name));
        series->setPen(QPen(spec.color, 2));
        chart->addSeries(series);
        series->attachAxis(m_time);
        series->attachAxis(spec.left ? m_counter : m_small);
        m_lines.push_back({series, spec.points, spec.left});
    }
    for (QValueAxis* axis : {m_time, m_counter, m_small}) {
        QFont f = axis->titleFont();
        f.setPointSizeF(8);
        f.setBold(false);
        axis->setTitleFont(f);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(260, 170);
}

QLineSeries* ServerChartView::series(int index) const
{
    return index >= 0 && index < int(m_lines.size()) ? m_lines[std::size_t(index)].series : nullptr;
}

void ServerChartView::refresh(double fromS, double toS, const QString& title)
{
    chart()->setTitle(title);
    m_time->setRange(fromS, toS);
    const double span = toS - fromS;
    m_time->setTickInterval(span <= 50 ? 10 : span <= 100 ? 20 : 30);
    double leftMax = 0;
    double rightMax = 0;
    std::vector<QList<QPointF>> points;
    for (const Line& line : m_lines) {
        points.push_back(pointsIn((m_metrics.*line.points)(m_sid), fromS));
        double& max = line.left ? leftMax : rightMax;
        for (const QPointF& p : points.back())
            max = std::max(max, p.y());
    }
    if (m_kind == ChartKind::Activity)
        m_counter->setRange(0, niceCeiling(leftMax * 1.1));
    else // latency: sub-millisecond on loopback, so no floor of 5
        m_counter->setRange(0, leftMax <= 0 ? 1.0 : niceCeiling(leftMax * 1.15 * 100) / 100);
    m_small->setRange(0, niceCeiling(rightMax * 1.15));
    for (std::size_t i = 0; i < m_lines.size(); ++i)
        m_lines[i].series->replace(points[i]);
    viewport()->update();
}

qreal ServerChartView::xAt(double seconds) const
{
    return chart()->mapToPosition(QPointF(seconds, 0), m_lines.front().series).x();
}

void ServerChartView::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = chart()->plotArea();
    if (plot.width() <= 0)
        return;
    painter->save();
    painter->setClipRect(plot);
    const double nowS = m_metrics.lastS();
    QFont small = font();
    small.setPointSizeF(8);
    painter->setFont(small);
    for (const Outage& outage : m_metrics.outages(m_sid)) {
        const qreal left = xAt(outage.startS);
        const qreal right = xAt(outage.endS < 0 ? nowS : outage.endS);
        if (right <= plot.left() || left >= plot.right())
            continue;
        const QRectF band(QPointF(std::max(left, plot.left()), plot.top()),
                          QPointF(std::min(right, plot.right()), plot.bottom()));
        painter->fillRect(band, outageColor(outage.kind));
        QColor ink = outageColor(outage.kind);
        ink.setAlpha(220);
        painter->setPen(ink);
        painter->drawText(band.adjusted(3, 0, 0, -2), Qt::AlignBottom | Qt::AlignLeft,
                          outageName(outage.kind));
    }
    // A dashed line where a leader starts serving, a dotted one where service stops; labels
    // only where they do not run into the next one.
    const auto& marks = m_metrics.leaderMarks();
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const LeaderMark& mark = marks[i];
        const qreal x = xAt(mark.atS);
        if (x < plot.left() || x > plot.right())
            continue;
        const QColor color = mark.leader ? sidColor(mark.leader) : QColor(0xdc, 0x26, 0x26);
        painter->setPen(QPen(color, 1.5, mark.leader ? Qt::DashLine : Qt::DotLine));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        const qreal nextX = i + 1 < marks.size() ? xAt(marks[i + 1].atS) : plot.right() + 100;
        if (!mark.leader || nextX - x < 52)
            continue;
        painter->setPen(color);
        painter->drawText(QRectF(x + 3, plot.top() + 1, 80, 16), Qt::AlignLeft,
                          QStringLiteral("leader %1").arg(mark.leader));
    }
    painter->restore();
}

ClusterCharts::ClusterCharts(ClusterController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_timer(new QTimer(this))
{
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_timer->setInterval(refreshMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    m_timer->start();
    connect(controller->clusterModel(), &QAbstractItemModel::modelReset, this,
            &ClusterCharts::rebuild);
    rebuild();
}

ServerChartView* ClusterCharts::chart(qint64 sid) const
{
    auto it = m_charts.find(sid);
    return it == m_charts.end() ? nullptr : it->second;
}

ServerChartView* ClusterCharts::trafficChart(qint64 sid) const
{
    auto it = m_traffic.find(sid);
    return it == m_traffic.end() ? nullptr : it->second;
}

void ClusterCharts::rebuild()
{
    for (auto* charts : {&m_charts, &m_traffic}) {
        for (auto& [sid, view] : *charts)
            delete view;
        charts->clear();
    }
    auto* grid = static_cast<QGridLayout*>(layout());
    int column = 0;
    for (const ClusterNode& node : m_controller->clusterModel()->nodes()) {
        auto* view =
            new ServerChartView(m_controller->metrics(), node.sid, ChartKind::Activity, this);
        grid->addWidget(view, 0, column);
        m_charts[node.sid] = view;
        auto* traffic =
            new ServerChartView(m_controller->metrics(), node.sid, ChartKind::Traffic, this);
        grid->addWidget(traffic, 1, column);
        m_traffic[node.sid] = traffic;
        ++column;
    }
    refresh();
}

void ClusterCharts::refresh()
{
    const double nowS = std::max(m_controller->metrics().lastS(), 1.0);
    const double toS = std::max(nowS, 30.0);
    const double fromS = std::max(0.0, toS - windowS);
    for (auto& [sid, view] : m_charts) {
        const NodeRole role = m_controller->clusterModel()->role(sid);
        view->refresh(fromS, toS,
                      QStringLiteral("server %1 · %2").arg(sid).arg(ClusterModel::roleName(role)));
    }
    for (auto& [sid, view] : m_traffic)
        view->refresh(fromS, toS, QStringLiteral("server %1 · client traffic").arg(sid));
}

} // namespace zoolab

#include "views/replay_bar.h"

#include "controllers/cluster_controller.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>

namespace zoolab {

ReplayBar::ReplayBar(ClusterController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("replayBar"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* title = new QLabel(QStringLiteral("<b>Replay</b>"), this);
    layout->addWidget(title);
    m_play = new QPushButton(QStringLiteral("Play"), this);
    m_play->setObjectName(QStringLiteral("replayPlay"));
    layout->addWidget(m_play);
    m_speed = new QComboBox(this);
    for (double speed : {0.25, 0.5, 1.0, 2.0, 5.0, 10.0})
        m_speed->addItem(QStringLiteral("%1×").arg(speed), speed);
    m_speed->setCurrentIndex(2);
    m_speed->setToolTip(QStringLiteral("Replay speed (1× is the pace it happened at)"));
    layout->addWidget(m_speed);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("replaySlider"));
    m_slider->setToolTip(QStringLiteral("Drag to any moment: the servers, votes and banner show "
                                        "the ensemble as it was then"));
    layout->addWidget(m_slider, 1);
    m_position = new QLabel(this);
    m_position->setMinimumWidth(
        fontMetrics().horizontalAdvance(QStringLiteral("000.0 s of 000.0 s · row 0000 of 0000")));
    layout->addWidget(m_position);
    auto* live = new QPushButton(QStringLiteral("Back to live"), this);
    live->setObjectName(QStringLiteral("replayLive"));
    layout->addWidget(live);

    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        m_controller->stopReplay();
        m_controller->scrubToMs(m_controller->replay().startMs() + value);
    });
    connect(m_play, &QPushButton::clicked, this, [this] {
        if (m_controller->replayPlaying())
            m_controller->stopReplay();
        else
            m_controller->playReplay(speed());
        refresh();
    });
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] {
        if (m_controller->replayPlaying())
            m_controller->playReplay(speed());
    });
    connect(live, &QPushButton::clicked, controller, &ClusterController::leaveReplay);
    connect(controller, &ClusterController::replayChanged, this, &ReplayBar::refresh);
    refresh();
}

double ReplayBar::speed() const
{
    return m_speed->currentData().toDouble();
}

void ReplayBar::refresh()
{
    setVisible(m_controller->replaying());
    if (!m_controller->replaying())
        return;
    const TimelineReplay& replay = m_controller->replay();
    const std::int64_t start = replay.startMs();
    {
        const QSignalBlocker blocker(m_slider);
        m_slider->setRange(0, int(replay.endMs() - start));
        m_slider->setValue(int(m_controller->replayTimeMs() - start));
    }
    m_position->setText(QStringLiteral("%1 s of %2 s · row %3 of %4")
                            .arg(double(m_controller->replayTimeMs()) / 1000.0, 0, 'f', 1)
                            .arg(double(replay.endMs()) / 1000.0, 0, 'f', 1)
                            .arg(m_controller->replayPosition())
                            .arg(replay.size()));
    m_play->setText(m_controller->replayPlaying() ? QStringLiteral("Pause")
                                                  : QStringLiteral("Play"));
}

} // namespace zoolab

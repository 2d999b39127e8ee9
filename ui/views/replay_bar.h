#pragma once
// ReplayBar: the controls of timeline replay, shown above the cluster scene while the
// controller replays an opened timeline: a slider over the timeline's time span (drag it to
// scrub), Play/Pause at a chosen speed, the time and row reached, and "Back to live". Hidden
// while the view is live.
//
// Thread: GUI thread. Ownership: a child widget; the controller must outlive it.

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;

namespace zoolab {

class ClusterController;

class ReplayBar : public QWidget
{
    Q_OBJECT
public:
    explicit ReplayBar(ClusterController* controller, QWidget* parent = nullptr);

    QSlider* slider() const { return m_slider; }
    QPushButton* playButton() const { return m_play; }
    QLabel* positionLabel() const { return m_position; }
    double speed() const;

private:
    void refresh();

    ClusterController* m_controller = nullptr;
    QSlider* m_slider = nullptr;
    QPushButton* m_play = nullptr;
    QComboBox* m_speed = nullptr;
    QLabel* m_position = nullptr;
};

} // namespace zoolab

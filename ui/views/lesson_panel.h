#pragma once
// LessonPanel: the guided lessons beside the cluster scene. Pick a drill, press Start, and the
// panel shows the step's caption (what is happening), what to click next, and the steps done
// so far; it moves on only when GuidedLesson sees the engine report the step's outcome.
//
// Thread: GUI thread. Ownership: owns its GuidedLesson; the controller must outlive it.

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace zoolab {

class ClusterController;
class GuidedLesson;

class LessonPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LessonPanel(ClusterController* controller, QWidget* parent = nullptr);

    GuidedLesson* lesson() const { return m_lesson; }
    QLabel* captionLabel() const { return m_caption; }
    QLabel* instructionLabel() const { return m_instruction; }
    // Starts the lesson with this key ("kill-leader", ...); false when there is none.
    bool startLesson(const QString& key);

signals:
    void lessonStarted();

private:
    void refresh();

    GuidedLesson* m_lesson = nullptr;
    QComboBox* m_choice = nullptr;
    QPushButton* m_start = nullptr;
    QLabel* m_progress = nullptr;
    QLabel* m_caption = nullptr;
    QLabel* m_instruction = nullptr;
    QListWidget* m_done = nullptr;
};

} // namespace zoolab

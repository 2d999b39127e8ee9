#include "views/lesson_panel.h"

#include "controllers/guided_lesson.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace zoolab {

LessonPanel::LessonPanel(ClusterController* controller, QWidget* parent)
    : QWidget(parent), m_lesson(new GuidedLesson(controller, this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* row = new QHBoxLayout();
    row->addWidget(new QLabel(QStringLiteral("Drill:"), this));
    m_choice = new QComboBox(this);
    for (Lesson lesson : GuidedLesson::all())
        m_choice->addItem(GuidedLesson::title(lesson), GuidedLesson::key(lesson));
    row->addWidget(m_choice, 1);
    m_start = new QPushButton(QStringLiteral("Start"), this);
    m_start->setObjectName(QStringLiteral("lessonStart"));
    row->addWidget(m_start);
    layout->addLayout(row);

    m_progress = new QLabel(this);
    layout->addWidget(m_progress);
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("lessonCaption"));
    m_caption->setWordWrap(true);
    m_caption->setStyleSheet(QStringLiteral("QLabel#lessonCaption { font-size: 14pt; "
                                            "font-weight: bold; padding: 6px 2px; }"));
    layout->addWidget(m_caption);
    m_instruction = new QLabel(this);
    m_instruction->setObjectName(QStringLiteral("lessonInstruction"));
    m_instruction->setWordWrap(true);
    m_instruction->setStyleSheet(QStringLiteral("QLabel#lessonInstruction { background: #fef3c7; "
                                                "color: #78350f; border-radius: 4px; "
                                                "padding: 8px; font-size: 11pt; }"));
    layout->addWidget(m_instruction);
    layout->addWidget(new QLabel(QStringLiteral("Steps so far:"), this));
    m_done = new QListWidget(this);
    layout->addWidget(m_done, 1);

    connect(m_start, &QPushButton::clicked, this, [this] {
        if (m_lesson->active())
            m_lesson->stop();
        else
            startLesson(m_choice->currentData().toString());
    });
    connect(m_lesson, &GuidedLesson::changed, this, &LessonPanel::refresh);
    refresh();
}

bool LessonPanel::startLesson(const QString& key)
{
    const auto lesson = GuidedLesson::fromKey(key);
    if (!lesson)
        return false;
    m_choice->setCurrentIndex(m_choice->findData(key));
    m_done->clear();
    m_caption->clear();
    m_lesson->start(*lesson);
    emit lessonStarted();
    return true;
}

void LessonPanel::refresh()
{
    m_choice->setEnabled(!m_lesson->active());
    m_start->setText(m_lesson->active() ? QStringLiteral("Stop") : QStringLiteral("Start"));
    if (!m_lesson->active()) {
        m_progress->setText(QStringLiteral("Pick a drill and press Start. Each caption moves on "
                                           "only when the servers report what happened."));
        m_caption->clear();
        m_instruction->hide();
        return;
    }
    m_progress->setText(QStringLiteral("%1 · step %2 of %3")
                            .arg(GuidedLesson::title(*m_lesson->lesson()))
                            .arg(m_lesson->stepIndex() + 1)
                            .arg(m_lesson->stepCount()));
    const QString caption = m_lesson->caption();
    if (m_caption->text() != caption && !m_caption->text().isEmpty())
        m_done->addItem(QStringLiteral("✓ ") + m_caption->text());
    m_caption->setText(caption);
    m_instruction->setText(QStringLiteral("➜ ") + m_lesson->instruction());
    m_instruction->show();
}

} // namespace zoolab

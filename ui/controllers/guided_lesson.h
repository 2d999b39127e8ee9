#pragma once
// GuidedLesson: the tutorials' drills as lessons on the embedded ensemble (kill a follower;
// kill two; restart one; kill the leader; restart the old leader). Each lesson is a list of
// steps; a step has a caption (what is happening), an instruction (what to click) and a
// condition on what the ensemble reports. The lesson advances only when the condition holds
// on the controller's models, and it looks at them only when the engine reported something:
// an event batch (StateChanged, elections), a status poll, or a banner change. There are no
// timers here: a lesson whose user does nothing stays on its step.
//
// The first step of every lesson waits for the state the drill starts from ("serving with 3
// of 3 alive", "1 of 3 alive", ...), so lessons chain: "kill two" leaves the ensemble where
// "restart one" starts. Sids a lesson learns on the way (the leader when it started, the
// follower killed) are remembered and named in later captions.
//
// Thread: GUI thread. Ownership: a QObject child of whoever creates it; the controller must
// outlive it.

#include "bridge/engine_ensemble.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace zoolab {

class ClusterController;

enum class Lesson
{
    KillFollower,
    KillTwo,
    RestartOne,
    KillLeader,
    RestartOldLeader
};

class GuidedLesson : public QObject
{
    Q_OBJECT
public:
    // What a lesson remembers between steps.
    using Memory = std::map<QString, zk::Sid>;

    struct Step
    {
        std::function<QString(const Memory&)> caption;
        std::function<QString(const Memory&)> instruction;
        // Whether the step is done; may remember sids for later steps. Empty: the last step.
        std::function<bool(const ClusterController&, Memory&)> done;
    };

    explicit GuidedLesson(ClusterController* controller, QObject* parent = nullptr);

    static QString title(Lesson lesson); // "Kill the leader"
    static QString key(Lesson lesson);   // "kill-leader", for --lesson
    static std::optional<Lesson> fromKey(const QString& key);
    static std::vector<Lesson> all();
    static std::vector<Step> steps(Lesson lesson);

    // Starts `lesson` at its first step and checks it at once against what the models hold.
    void start(Lesson lesson);
    void stop();
    bool active() const { return m_lesson.has_value(); }
    std::optional<Lesson> lesson() const { return m_lesson; }
    int stepIndex() const { return m_step; }
    int stepCount() const { return int(m_steps.size()); }
    bool finished() const { return active() && m_step == stepCount() - 1; }
    QString caption() const;
    QString instruction() const;
    const Memory& memory() const { return m_memory; }
    // How many times the lesson looked at the models (tests: it did look, and did not move).
    int checks() const { return m_checks; }

signals:
    // A lesson started, stopped, or moved to another step.
    void changed();

private:
    void check();

    ClusterController* m_controller = nullptr;
    std::optional<Lesson> m_lesson;
    std::vector<Step> m_steps;
    int m_step = 0;
    Memory m_memory;
    int m_checks = 0;
};

} // namespace zoolab

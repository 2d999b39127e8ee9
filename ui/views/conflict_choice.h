#pragma once
// What to do when a version-checked write (data save, ACL change) meets BADVERSION: someone
// else changed the node after we loaded it. The data editor and the ACL editor ask the same
// question the same way. GUI thread.

#include <QString>

#include <functional>

class QWidget;

namespace zoolab {

enum class ConflictChoice
{
    Reload,    // discard our edit and show the node as it is now
    Overwrite, // write ours without a version check
    Cancel     // keep our edit, write nothing
};
using ConflictResolver = std::function<ConflictChoice(const QString& path)>;

// A modal question over `parent`; `what` names the thing written ("data", "ACL").
ConflictChoice askAboutConflict(QWidget* parent, const QString& path, const QString& what);

} // namespace zoolab

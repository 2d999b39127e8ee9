#include "views/conflict_choice.h"

#include <QMessageBox>
#include <QPushButton>

namespace zoolab {

ConflictChoice askAboutConflict(QWidget* parent, const QString& path, const QString& what)
{
    QMessageBox box(QMessageBox::Warning, QStringLiteral("Version conflict"),
                    QStringLiteral("The %1 of %2 was changed by someone else after you loaded it.")
                        .arg(what, path),
                    QMessageBox::NoButton, parent);
    box.setInformativeText(QStringLiteral("Reload discards your edit and shows the current %1. "
                                          "Overwrite replaces the current %1 with yours.")
                               .arg(what));
    auto* reloadButton = box.addButton(QStringLiteral("Reload"), QMessageBox::RejectRole);
    auto* overwrite = box.addButton(QStringLiteral("Overwrite"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == reloadButton)
        return ConflictChoice::Reload;
    if (box.clickedButton() == overwrite)
        return ConflictChoice::Overwrite;
    return ConflictChoice::Cancel;
}

} // namespace zoolab

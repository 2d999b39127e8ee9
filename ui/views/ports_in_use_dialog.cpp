#include "views/ports_in_use_dialog.h"

#include <QPushButton>

namespace zoolab {

PortsInUseDialog::PortsInUseDialog(PortOffer offer, QWidget* parent)
    : QMessageBox(QMessageBox::Question, QStringLiteral("Ports in use"), offer.question(),
                  QMessageBox::NoButton, parent),
      m_offer(std::move(offer))
{
    if (m_offer.freeBase) {
        m_useFree = addButton(QStringLiteral("Start embedded on ports %1").arg(m_offer.freeRange()),
                              QMessageBox::AcceptRole);
        setDefaultButton(m_useFree);
    }
    m_connectThere = addButton(QStringLiteral("Connect to %1").arg(m_offer.takenConnectString()),
                               QMessageBox::ActionRole);
    addButton(QStringLiteral("No embedded cluster"), QMessageBox::RejectRole);
}

PortsInUseDialog::Choice PortsInUseDialog::choice() const
{
    const auto* clicked = clickedButton();
    if (clicked != nullptr && clicked == m_useFree)
        return Choice::FreePorts;
    if (clicked != nullptr && clicked == m_connectThere)
        return Choice::ConnectThere;
    return Choice::None;
}

} // namespace zoolab

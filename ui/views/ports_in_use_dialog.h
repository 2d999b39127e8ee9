#pragma once
// PortsInUseDialog: asks what to do when the embedded ensemble's client ports are taken
// (a PortOffer): start on the free ports offered, connect to the server already there, or run
// without an embedded ensemble. Built without exec(), so tests read its text and buttons.
//
// Thread: GUI thread.

#include "controllers/port_offer.h"

#include <QMessageBox>

namespace zoolab {

class PortsInUseDialog : public QMessageBox
{
    Q_OBJECT
public:
    enum class Choice
    {
        FreePorts,
        ConnectThere,
        None
    };

    explicit PortsInUseDialog(PortOffer offer, QWidget* parent = nullptr);

    const PortOffer& offer() const { return m_offer; }
    // Null when no free ports were found.
    QPushButton* useFreeButton() const { return m_useFree; }
    QPushButton* connectThereButton() const { return m_connectThere; }
    // What the clicked button means (None when closed otherwise).
    Choice choice() const;

private:
    PortOffer m_offer;
    QPushButton* m_useFree = nullptr;
    QPushButton* m_connectThere = nullptr;
};

} // namespace zoolab

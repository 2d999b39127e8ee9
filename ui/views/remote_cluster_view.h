#pragma once
// RemoteClusterView: the cluster view of an ensemble the studio does not run (opened beside a
// connection tab to a multi-host connect string). A banner ("serving, leader 2"), plain words
// on what cannot be seen and why (a four-letter word not whitelisted, a server not answering),
// the servers with their roles and counts polled through srvr/mntr every second, and, for
// zoolab-server daemons with zoolab.eventPort, their live election in the vote table.
//
// Thread: GUI thread. Ownership: owns its RemoteEnsemble (which owns the polling threads).

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace zoolab {

class RemoteEnsemble;

class RemoteClusterView : public QWidget
{
    Q_OBJECT
public:
    explicit RemoteClusterView(QWidget* parent = nullptr);

    // Starts watching connectString; returns an error sentence or empty.
    QString start(const QString& connectString);
    // Reads these zoolab event endpoints ("host:port, host:port").
    void watchEvents(const QString& endpoints);

    RemoteEnsemble* ensemble() const { return m_ensemble; }
    QLabel* banner() const { return m_banner; }
    QLabel* explanation() const { return m_explanation; }
    QTableView* serverTable() const { return m_servers; }
    QTableView* voteTable() const { return m_votes; }

private:
    void refresh();

    RemoteEnsemble* m_ensemble = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_banner = nullptr;
    QLabel* m_explanation = nullptr;
    QLabel* m_eventStatus = nullptr;
    QLineEdit* m_endpoints = nullptr;
    QTableView* m_servers = nullptr;
    QTableView* m_votes = nullptr;
};

} // namespace zoolab

#pragma once
// ConnectDialog: "Connect to ensemble…": a multi-host connect string, chroot, digest
// credentials, session timeout and the read-only flag, with recent connections to pick from.
// GUI thread; modal; returns a ConnectionSpec.

#include "controllers/connection_spec.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace zoolab {

class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget* parent = nullptr);

    ConnectionSpec spec() const;
    void setSpec(const ConnectionSpec& spec);

    void accept() override;

private:
    void pickRecent(int row);

    QList<ConnectionSpec> m_recent;
    QComboBox* m_hosts = nullptr;
    QLineEdit* m_chroot = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QSpinBox* m_timeout = nullptr;
    QCheckBox* m_readOnly = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace zoolab

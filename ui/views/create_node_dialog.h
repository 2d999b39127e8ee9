#pragma once
// CreateNodeDialog: name, create mode (persistent, sequential, ephemeral, container, TTL), TTL
// and initial data for a new child of a given parent. GUI thread; modal; only collects input.

#include "proto/opcodes.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace zoolab {

class CreateNodeDialog : public QDialog
{
    Q_OBJECT
public:
    CreateNodeDialog(const QString& parentPath, QWidget* parent = nullptr);

    QString path() const;
    zk::CreateMode mode() const;
    qint64 ttlMs() const;
    QByteArray data() const;

    void accept() override;

private:
    QString m_parentPath;
    QLineEdit* m_name = nullptr;
    QComboBox* m_mode = nullptr;
    QSpinBox* m_ttl = nullptr;
    QPlainTextEdit* m_data = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace zoolab

// Runs every scenario script in tests/sim/scenarios and compares its trace with the expected
// part below "----". ZK_REWRITE=1 rewrites the expected parts from the current behaviour.
#include "sim/scenario.h"

#include <QtTest>

class ScenarioTest : public QObject
{
    Q_OBJECT
private slots:
    void scenario_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(ZOOLAB_SOURCE_DIR "/tests/sim/scenarios"));
        const auto files = dir.entryInfoList({QStringLiteral("*.txt")}, QDir::Files, QDir::Name);
        QVERIFY2(!files.isEmpty(), "no scenario scripts found");
        for (const QFileInfo& file : files)
            QTest::newRow(file.fileName().toUtf8().constData()) << file.absoluteFilePath();
    }

    void scenario()
    {
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const std::string text = file.readAll().toStdString();
        file.close();
        const zk::sim::ScenarioScript script = zk::sim::parseScenarioFile(text);
        const std::string trace = zk::sim::runScenario(script.commands);
        // Running twice gives the same trace: the simulator is deterministic.
        QCOMPARE(QString::fromStdString(zk::sim::runScenario(script.commands)),
                 QString::fromStdString(trace));
        if (qEnvironmentVariableIntValue("ZK_REWRITE") == 1) {
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QByteArray::fromStdString(zk::sim::renderScenarioFile(script, trace)));
            return;
        }
        QVERIFY2(script.hasSeparator, "missing ---- line (run with ZK_REWRITE=1)");
        QCOMPARE(QString::fromStdString(trace), QString::fromStdString(script.expected));
    }

    void parserSplitsAtSeparator()
    {
        const auto script = zk::sim::parseScenarioFile("add-nodes 3\n----\nn1 crashed\n");
        QVERIFY(script.hasSeparator);
        QCOMPARE(QString::fromStdString(script.commands), QStringLiteral("add-nodes 3\n"));
        QCOMPARE(QString::fromStdString(script.expected), QStringLiteral("n1 crashed\n"));
        QVERIFY(!zk::sim::parseScenarioFile("tick 3\n").hasSeparator);
    }

    void unknownCommandIsReported()
    {
        const std::string trace = zk::sim::runScenario("add-nodes 3\nfly 3\nstart 9\n");
        QCOMPARE(QString::fromStdString(trace),
                 QStringLiteral("error: cannot run \"fly 3\"\nerror: cannot run \"start 9\"\n"));
    }
};

QTEST_APPLESS_MAIN(ScenarioTest)
#include "test_scenarios.moc"

// Proves log names use ZooKeeper's own spelling and that unknown values do not crash.
#include "proto/record_names.h"

#include <QtTest>

#include <set>
#include <string_view>

class RecordNamesTest : public QObject
{
    Q_OBJECT
private slots:
    void opNamesMatchZooKeeper()
    {
        QCOMPARE(zk::opName(zk::OpCode::GetAcl), std::string_view("getACL"));
        QCOMPARE(zk::opName(zk::OpCode::CreateTtl), std::string_view("createTTL"));
        QCOMPARE(zk::opName(zk::OpCode::CloseSession), std::string_view("closeSession"));
        QCOMPARE(zk::opName(zk::OpCode::Error), std::string_view("error"));
        QCOMPARE(zk::opName(static_cast<zk::OpCode>(55)), std::string_view("unknown"));
    }

    void everyKnownOpHasADistinctName()
    {
        std::set<std::string_view> names;
        int known = 0;
        for (int code = -12; code <= 110; ++code) {
            const auto name = zk::opName(static_cast<zk::OpCode>(code));
            if (name == "unknown")
                continue;
            ++known;
            names.insert(name);
        }
        QCOMPARE(known, 33);
        QCOMPARE(names.size(), std::size_t{33});
    }

    void eventAndStateNames()
    {
        QCOMPARE(zk::eventTypeName(zk::EventType::NodeChildrenChanged),
                 std::string_view("NodeChildrenChanged"));
        QCOMPARE(zk::keeperStateName(zk::KeeperState::Expired), std::string_view("Expired"));
        QCOMPARE(zk::keeperStateName(static_cast<zk::KeeperState>(2)), std::string_view("unknown"));
    }
};

QTEST_APPLESS_MAIN(RecordNamesTest)
#include "test_record_names.moc"

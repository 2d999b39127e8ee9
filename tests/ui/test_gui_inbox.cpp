// Proves the GUI inbox: tasks posted from other threads run on the GUI thread, in order,
// batched into few drains, and are dropped once the receiver is gone.

#include "bridge/gui_inbox.h"
#include "models/data_codec.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>

using namespace zoolab;

class GuiInboxTest : public QObject
{
    Q_OBJECT
private slots:
    void runsOnGuiThreadInOrderBatched();
    void dropsAfterReceiverIsGone();
    void codecHandlesViewsAndGzip();
};

void GuiInboxTest::runsOnGuiThreadInOrderBatched()
{
    QObject receiver;
    auto inbox = GuiInbox::create(&receiver);
    std::vector<int> seen;
    bool allOnGui = true;
    std::thread producer([&] {
        for (int i = 0; i < 1000; ++i)
            inbox->post([&, i] {
                allOnGui = allOnGui && QThread::currentThread() == receiver.thread();
                seen.push_back(i);
            });
    });
    producer.join();
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), std::size_t(1000), 5000);
    QVERIFY(allOnGui);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(seen[std::size_t(i)], i);
    QVERIFY(inbox->drains() < 10); // one queued drain per burst, not one per task
}

void GuiInboxTest::dropsAfterReceiverIsGone()
{
    auto receiver = std::make_unique<QObject>();
    auto inbox = GuiInbox::create(receiver.get());
    std::atomic<int> ran{0};
    QVERIFY(inbox->post([&] { ++ran; })); // queued, not yet run
    inbox->detach();
    receiver.reset();
    std::thread late([&] { QVERIFY(!inbox->post([&] { ++ran; })); });
    late.join();
    QTest::qWait(50);
    QCOMPARE(ran.load(), 0);
    QCOMPARE(inbox->dropped(), std::size_t(2));
}

void GuiInboxTest::codecHandlesViewsAndGzip()
{
    const QByteArray json = R"({"a":1})";
    QCOMPARE(guessView(json), DataView::Json);
    QCOMPARE(guessView("plain"), DataView::Text);
    QCOMPARE(guessView(QByteArray("\xff\xfe", 2)), DataView::Hex);
    QVERIFY(!decodeForView(QByteArray("\xff", 1), DataView::Text).problem.isEmpty());
    QVERIFY(!encodeFromView(QStringLiteral("0g"), DataView::Hex).bytes);
    QVERIFY(!encodeFromView(QStringLiteral("abc"), DataView::Hex).bytes); // odd digits
    QVERIFY(!encodeFromView(QStringLiteral("@@@"), DataView::Base64).bytes);
    QCOMPARE(*encodeFromView(QStringLiteral("0x41 42"), DataView::Hex).bytes, QByteArray("AB"));
    // "hello" gzip-compressed (gzip -n).
    const QByteArray gz = QByteArray::fromHex("1f8b0800000000000003cb48cdc9c9070086a6103605000000");
    QVERIFY(looksGzip(gz));
    QCOMPARE(gunzip(gz).value_or("<fail>"), QByteArray("hello"));
    QVERIFY(!gunzip(gz.left(gz.size() - 3)).has_value()); // truncated trailer
    QVERIFY(!looksGzip("hello"));
    // JSON keeps the author's key order and number spelling both ways.
    const QByteArray ordered = R"({"z":1,"a":{"s":"x, \"y\": {"},"n":12345678901234567890,"e":[]})";
    const QString pretty = decodeForView(ordered, DataView::Json).text;
    QVERIFY(pretty.indexOf(QStringLiteral("\"z\"")) < pretty.indexOf(QStringLiteral("\"a\"")));
    QVERIFY(pretty.contains(QStringLiteral("\n    \"a\": {\n        \"s\": \"x, \\\"y\\\": {\"")));
    QVERIFY(pretty.contains(QStringLiteral("12345678901234567890")));
    QVERIFY(pretty.contains(QStringLiteral("\"e\": []")));
    QCOMPARE(*encodeFromView(pretty, DataView::Json).bytes, ordered);
}

QTEST_MAIN(GuiInboxTest)
#include "test_gui_inbox.moc"

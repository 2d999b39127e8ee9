// Proves validatePath accepts and rejects exactly what Apache's PathUtils does, and that
// parentOf/baseName split paths the way the tree expects.
#include "data/path_utils.h"

#include <QtTest>

#include <string>

using zk::ZError;

class PathUtilsTest : public QObject
{
    Q_OBJECT
private slots:
    void validPaths()
    {
        for (const char* path : {"/", "/a", "/a/b", "/a.b", "/...", "/a/..b", "/.a", "/a.",
                                 "/héllo", "/日本", "/a b", "/\x7e"}) {
            QVERIFY2(zk::validatePath(path) == ZError::Ok, path);
        }
    }

    void invalidPaths()
    {
        for (const char* path : {"", "a", "a/b", "/a/", "//", "/a//b", "/.", "/..", "/a/.",
                                 "/a/../b", "/./a", "/a\x01", "/\x1f", "/\x7f"}) {
            QVERIFY2(zk::validatePath(path) == ZError::BadArguments, path);
        }
        QCOMPARE(zk::validatePath(std::string("/a\0b", 4)), ZError::BadArguments);
    }

    void forbiddenUnicodeRanges()
    {
        // U+0085 (C1), U+E000 (private use), U+FFF0, U+FFFF, U+1F600 (a surrogate pair in
        // Java) and malformed UTF-8 are all rejected; U+00A0 and U+F900 are allowed.
        QCOMPARE(zk::validatePath("/\xc2\x85"), ZError::BadArguments);
        QCOMPARE(zk::validatePath("/\xee\x80\x80"), ZError::BadArguments);
        QCOMPARE(zk::validatePath("/\xef\xbf\xb0"), ZError::BadArguments);
        QCOMPARE(zk::validatePath("/\xef\xbf\xbf"), ZError::BadArguments);
        QCOMPARE(zk::validatePath("/\xf0\x9f\x98\x80"), ZError::BadArguments);
        QCOMPARE(zk::validatePath("/\xff"), ZError::BadArguments);
        QCOMPARE(zk::validatePath("/\xc0\xaf"), ZError::BadArguments);
        QCOMPARE(zk::validatePath("/\xed\xa0\x80"), ZError::BadArguments);
        QCOMPARE(zk::validatePath("/\xc2\xa0"), ZError::Ok);
        QCOMPARE(zk::validatePath("/\xef\xa4\x80"), ZError::Ok);
    }

    void sequentialAppendsADigit()
    {
        QCOMPARE(zk::validatePath("/a/", true), ZError::Ok);
        QCOMPARE(zk::validatePath("/a/", false), ZError::BadArguments);
        QCOMPARE(zk::validatePath("/a/.", true), ZError::Ok);
        QCOMPARE(zk::validatePath("/a//", true), ZError::BadArguments);
    }

    void splitting()
    {
        QCOMPARE(zk::parentOf("/a/b"), std::string_view("/a"));
        QCOMPARE(zk::parentOf("/a"), std::string_view("/"));
        QCOMPARE(zk::parentOf("/"), std::string_view(""));
        QCOMPARE(zk::baseName("/a/b"), std::string_view("b"));
        QCOMPARE(zk::baseName("/a"), std::string_view("a"));
        QCOMPARE(zk::baseName("/"), std::string_view(""));
    }
};

QTEST_APPLESS_MAIN(PathUtilsTest)
#include "test_path_utils.moc"

// Proves the studio's dark and light looks: --theme parses, a forced dark palette (and
// GTK_THEME=...:dark when the platform gives no dark palette) makes the app dark, every text
// colour the studio uses passes WCAG AA contrast (4.5:1) on its background in both looks, and
// a rendered connection tab is really dark, with no light pane left over.

#include "live_server.h"
#include "models/studio_colors.h"
#include "views/app_theme.h"
#include "views/connection_tab.h"
#include "views/search_pane.h"

#include <QApplication>
#include <QImage>
#include <QTest>

using namespace zoolab;
using namespace zoolab::testing;

namespace {

// `over` blended onto `under` by its alpha, as painting a translucent background does.
QColor blend(const QColor& over, const QColor& under)
{
    const double a = over.alphaF();
    return QColor::fromRgbF(float(over.redF() * a + under.redF() * (1 - a)),
                            float(over.greenF() * a + under.greenF() * (1 - a)),
                            float(over.blueF() * a + under.blueF() * (1 - a)));
}

void checkContrast(const QPalette& p)
{
    const auto pairs = {
        std::pair{QPalette::Text, QPalette::Base},
        std::pair{QPalette::Text, QPalette::AlternateBase},
        std::pair{QPalette::WindowText, QPalette::Window},
        std::pair{QPalette::ButtonText, QPalette::Button},
        std::pair{QPalette::HighlightedText, QPalette::Highlight},
        std::pair{QPalette::ToolTipText, QPalette::ToolTipBase},
        std::pair{QPalette::PlaceholderText, QPalette::Base},
    };
    for (const auto& [fg, bg] : pairs) {
        const double ratio = contrastRatio(p.color(fg), p.color(bg));
        QVERIFY2(
            ratio >= 4.5,
            qPrintable(QStringLiteral("roles %1 on %2: %3").arg(int(fg)).arg(int(bg)).arg(ratio)));
    }
    // Disabled text is dimmed but must stay readable (AA for large text).
    QVERIFY(contrastRatio(p.color(QPalette::Disabled, QPalette::WindowText),
                          p.color(QPalette::Window)) >= 3.0);
    const StudioColors colors = studioColors(p);
    QVERIFY(contrastRatio(colors.errorText, p.color(QPalette::Base)) >= 4.5);
    QVERIFY(contrastRatio(colors.noticeText, colors.noticeBackground) >= 4.5);
    const QColor flashed = blend(colors.flashBackground, p.color(QPalette::Base));
    QVERIFY2(contrastRatio(p.color(QPalette::Text), flashed) >= 4.5,
             qPrintable(QString::number(contrastRatio(p.color(QPalette::Text), flashed))));
}

// The share of pixels darker than mid-grey.
double darkShare(const QImage& image)
{
    qint64 dark = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            dark += qGray(image.pixel(x, y)) < 110 ? 1 : 0;
    }
    return double(dark) / double(qint64(image.width()) * image.height());
}

} // namespace

class AppThemeTest : public QObject
{
    Q_OBJECT
private slots:
    void parsesChoices();
    void darkPaletteIsLegible();
    void lightPaletteIsLegible();
    void gtkDarkThemeIsFollowed();
    void rendersDark();
    void rendersLight();
};

void AppThemeTest::parsesChoices()
{
    QCOMPARE(parseThemeChoice(QStringLiteral("Dark")), std::optional(ThemeChoice::Dark));
    QCOMPARE(parseThemeChoice(QStringLiteral("light")), std::optional(ThemeChoice::Light));
    QCOMPARE(parseThemeChoice(QStringLiteral("system")), std::optional(ThemeChoice::System));
    QCOMPARE(parseThemeChoice(QStringLiteral("blue")), std::nullopt);
}

void AppThemeTest::darkPaletteIsLegible()
{
    auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
    QVERIFY(applyTheme(*app, ThemeChoice::Dark));
    QVERIFY(isDarkPalette(QApplication::palette()));
    checkContrast(QApplication::palette());
}

void AppThemeTest::lightPaletteIsLegible()
{
    auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
    QVERIFY(!applyTheme(*app, ThemeChoice::Light));
    QVERIFY(!isDarkPalette(QApplication::palette()));
    checkContrast(QApplication::palette());
}

void AppThemeTest::gtkDarkThemeIsFollowed()
{
    auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
    QVERIFY(!applyTheme(*app, ThemeChoice::Light));
    qputenv("GTK_THEME", "Adwaita:dark");
    const bool dark = applyTheme(*app, ThemeChoice::System);
    qunsetenv("GTK_THEME");
    QVERIFY(dark);
    QVERIFY(isDarkPalette(QApplication::palette()));
}

void AppThemeTest::rendersDark()
{
    auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
    applyTheme(*app, ThemeChoice::Dark);
    LiveServer server;
    QVERIFY(!server.startError);
    ConnectionTab tab(server.spec());
    tab.setInteractive(false);
    QVERIFY(tab.start().isEmpty());
    tab.resize(1200, 800);
    tab.show();
    tab.showSearch();
    QTRY_COMPARE_WITH_TIMEOUT(tab.session()->state(), zk::client::SessionState::Connected, 10000);
    tab.revealPath(QStringLiteral("/zookeeper"));
    QTRY_COMPARE_WITH_TIMEOUT(tab.currentPath(), QStringLiteral("/zookeeper"), 10000);
    const QImage image = tab.grab().toImage();
    const double share = darkShare(image);
    QVERIFY2(share > 0.85, qPrintable(QString::number(share)));
}

void AppThemeTest::rendersLight()
{
    auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
    applyTheme(*app, ThemeChoice::Light);
    LiveServer server;
    QVERIFY(!server.startError);
    ConnectionTab tab(server.spec());
    tab.setInteractive(false);
    QVERIFY(tab.start().isEmpty());
    tab.resize(1200, 800);
    tab.show();
    QTRY_COMPARE_WITH_TIMEOUT(tab.session()->state(), zk::client::SessionState::Connected, 10000);
    const double share = darkShare(tab.grab().toImage());
    QVERIFY2(share < 0.15, qPrintable(QString::number(share)));
}

QTEST_MAIN(AppThemeTest)
#include "test_app_theme.moc"

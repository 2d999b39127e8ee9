#include "views/app_theme.h"

#include "models/studio_colors.h"

#include <QApplication>
#include <QPainter>
#include <QProxyStyle>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>
#include <QStyleOption>

#include <memory>

namespace zoolab {

std::optional<ThemeChoice> parseThemeChoice(const QString& text)
{
    const QString lower = text.trimmed().toLower();
    if (lower == QStringLiteral("system"))
        return ThemeChoice::System;
    if (lower == QStringLiteral("light"))
        return ThemeChoice::Light;
    if (lower == QStringLiteral("dark"))
        return ThemeChoice::Dark;
    return std::nullopt;
}

QPalette darkPalette()
{
    // Tailwind's neutral greys; text on every background passes WCAG AA (4.5:1).
    const QColor window(0x26, 0x28, 0x2c);
    const QColor base(0x1c, 0x1e, 0x22);
    const QColor alternate(0x24, 0x27, 0x2c);
    const QColor text(0xe5, 0xe7, 0xeb);
    const QColor dimmed(0x9c, 0xa3, 0xaf);
    const QColor button(0x33, 0x36, 0x3c);
    const QColor highlight(0x25, 0x63, 0xeb);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::ToolTipBase, QColor(0x37, 0x41, 0x51));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, dimmed);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xf8, 0x71, 0x71));
    p.setColor(QPalette::Light, QColor(0x4b, 0x50, 0x58));
    p.setColor(QPalette::Midlight, QColor(0x3f, 0x43, 0x4a));
    p.setColor(QPalette::Mid, QColor(0x2e, 0x31, 0x36));
    p.setColor(QPalette::Dark, QColor(0x17, 0x18, 0x1b));
    p.setColor(QPalette::Shadow, QColor(0x0b, 0x0c, 0x0e));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x60, 0xa5, 0xfa));
    p.setColor(QPalette::LinkVisited, QColor(0xa7, 0x8b, 0xfa));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, dimmed);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    p.setColor(QPalette::Disabled, QPalette::Button, window);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4b, 0x50, 0x58));
    return p;
}

QPalette lightPalette()
{
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = fusion->standardPalette();
    // Fusion's selection blue gives white text only 3.7:1; this one gives 5.2:1.
    p.setColor(QPalette::Active, QPalette::Highlight, QColor(0x25, 0x63, 0xeb));
    p.setColor(QPalette::Inactive, QPalette::Highlight, QColor(0x25, 0x63, 0xeb));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6b, 0x72, 0x80));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6b, 0x72, 0x80));
    return p;
}

namespace {

// Fusion draws check box and line edit frames as a darker shade of the window colour; on a
// dark palette that is the colour of the field itself, so an unchecked box (a permission in
// the ACL table) and the edges of text fields vanish. This style adds visible frames on dark
// palettes.
class StudioStyle : public QProxyStyle
{
public:
    StudioStyle() : QProxyStyle(QStringLiteral("Fusion")) {}

    void drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
                       const QWidget* widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        if ((element != PE_IndicatorCheckBox && element != PE_FrameLineEdit) ||
            !isDarkPalette(option->palette))
            return;
        QColor frame = option->palette.color(QPalette::Text);
        if (element == PE_FrameLineEdit)
            frame = option->state & State_HasFocus ? option->palette.color(QPalette::Highlight)
                                                   : option->palette.color(QPalette::Light);
        else
            frame.setAlphaF(option->state & State_Enabled ? 0.65f : 0.35f);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(frame, 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(option->rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
        painter->restore();
    }
};

bool gtkThemeAsksForDark()
{
    return qEnvironmentVariable("GTK_THEME").endsWith(QStringLiteral(":dark"), Qt::CaseInsensitive);
}

void force(QApplication& app, const QPalette& palette)
{
    QApplication::setStyle(new StudioStyle); // the application owns it
    app.setPalette(palette);
}

} // namespace

bool applyTheme(QApplication& app, ThemeChoice choice)
{
    switch (choice) {
    case ThemeChoice::Dark:
        force(app, darkPalette());
        return true;
    case ThemeChoice::Light:
        force(app, lightPalette());
        return false;
    case ThemeChoice::System:
        break;
    }
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    // Qt 6.5 reports the system's scheme and keeps the platform palette in step with it; the
    // studio's own colours are computed from the palette at paint time, so they follow.
    if (QGuiApplication::styleHints()->colorScheme() == Qt::ColorScheme::Dark &&
        !isDarkPalette(QGuiApplication::palette()))
        force(app, darkPalette());
#endif
    if (!isDarkPalette(QGuiApplication::palette()) && gtkThemeAsksForDark())
        force(app, darkPalette());
    return isDarkPalette(QGuiApplication::palette());
}

} // namespace zoolab

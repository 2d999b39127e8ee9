#include "models/studio_colors.h"

#include <QGuiApplication>

#include <cmath>

namespace zoolab {

namespace {

double channel(double value)
{
    return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& color)
{
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) +
           0.0722 * channel(color.blueF());
}

} // namespace

bool isDarkPalette(const QPalette& palette)
{
    return luminance(palette.color(QPalette::Window)) <
           luminance(palette.color(QPalette::WindowText));
}

StudioColors studioColors(const QPalette& palette)
{
    if (isDarkPalette(palette))
        return {QColor(0xf8, 0x71, 0x71), QColor(0xd9, 0x77, 0x06, 110), QColor(0x45, 0x1a, 0x03),
                QColor(0xfd, 0xe6, 0x8a)};
    return {QColor(0xb9, 0x1c, 0x1c), QColor(0xff, 0xc8, 0x3c, 150), QColor(0xfd, 0xe6, 0x8a),
            QColor(0x45, 0x1a, 0x03)};
}

StudioColors studioColors()
{
    return studioColors(QGuiApplication::palette());
}

QString noticeStyleSheet()
{
    const StudioColors colors = studioColors();
    return QStringLiteral("QLabel { background: %1; color: %2; padding: 4px; border-radius: 3px; }")
        .arg(colors.noticeBackground.name(), colors.noticeText.name());
}

double contrastRatio(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace zoolab

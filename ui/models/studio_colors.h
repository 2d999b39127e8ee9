#pragma once
// The few colours the studio draws itself (error text, the flash of a changed node, notices),
// chosen for the palette in use so they stay legible in light and dark mode. Pure functions of
// a QPalette; GUI thread (QGuiApplication::palette() for the current one).

#include <QColor>
#include <QPalette>
#include <QString>

namespace zoolab {

// True when the palette's window is darker than its text (a dark theme).
bool isDarkPalette(const QPalette& palette);

struct StudioColors
{
    QColor errorText;        // a failed node, console errors
    QColor flashBackground;  // a node that just changed (translucent)
    QColor noticeBackground; // the notice strip above editors
    QColor noticeText;
};

StudioColors studioColors(const QPalette& palette);
// The colours of the current application palette.
StudioColors studioColors();
// A QLabel style sheet for a notice strip (warning colours of the current palette).
QString noticeStyleSheet();

// WCAG contrast ratio of two opaque colours (1 to 21); 4.5 is the floor for body text.
double contrastRatio(const QColor& a, const QColor& b);

} // namespace zoolab

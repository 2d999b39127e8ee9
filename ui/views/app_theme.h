#pragma once
// The studio's light or dark look. By default it follows the system: the platform theme's
// palette (KDE, GNOME through the gtk3 or portal theme, Windows, macOS), and on Qt 6.5 and
// later the system's colour scheme setting as it changes. Without a platform theme (plain X11,
// offscreen) Qt's palette is light; GTK_THEME=<name>:dark then still selects dark, as GTK
// apps do. --theme dark|light (or --dark) forces a built-in palette on the Fusion style.
//
// Thread: GUI thread, after QApplication is constructed and before windows are shown.

#include <QPalette>
#include <QString>

#include <optional>

class QApplication;

namespace zoolab {

enum class ThemeChoice
{
    System,
    Light,
    Dark
};

// "system", "light", "dark" (case-insensitive); nullopt for anything else.
std::optional<ThemeChoice> parseThemeChoice(const QString& text);

// Applies the choice; returns whether the palette in use is dark.
bool applyTheme(QApplication& app, ThemeChoice choice);

QPalette darkPalette();
QPalette lightPalette();

} // namespace zoolab

#pragma once
// Icons for znode kinds, drawn once with QPainter (no image files, so they follow the
// palette's text colour). GUI thread only: QIcon and QPixmap are GUI objects.

#include "models/znode_kind.h"

#include <QIcon>

namespace zoolab {

// A filled disc per kind (persistent blue, ephemeral orange, container green, TTL purple),
// with a small "#" badge for sequential names; a grey ring while the stat is unknown.
QIcon znodeIcon(ZnodeKind kind, bool sequential);
QIcon unknownZnodeIcon();
// The application icon (also shipped as resources/icons/zoolab-*.png).
QIcon appIcon();

} // namespace zoolab

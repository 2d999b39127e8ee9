#pragma once
// zk::Ensemble (and QuorumHost, QuorumStatus) for Qt code. engine/zab/quorum_peer.h has a
// private method named emit, and Qt defines `emit` as an empty macro, so a translation unit
// that has seen a Qt header cannot read the engine header as it is. The macro is set aside
// while the engine headers are read; ui/ includes the ensemble only through this header.

#pragma push_macro("emit")
#undef emit
#include "cluster/ensemble.h"
#pragma pop_macro("emit")

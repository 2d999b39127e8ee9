#pragma once
// Scripted drills on the embedded ensemble, for demonstrations and the README's screenshots
// (--drill NAME[@MS]): each is a few ClusterController actions at fixed offsets after MS
// (default 3000) milliseconds.
//   kill-leader     kill the serving leader
//   slow-election   speed 1/100 (1 s per message on every link), then kill the serving leader
//   step-election   pause delivery, kill the leader, then step one held message every 0.7 s
//   zab-write       speed 1/100 with the Writes (ZAB) table shown (add --demo-load 1)
//   kill-two        kill the leader, then one more server: one of three left, no quorum
//   isolate-leader  cut both links of the leader: the other two elect a new one
//   churn           kill a follower, restart it, kill the leader, restart it, cut a server
//                   off and heal it (the charts shade each period and mark the new leaders)
//
// Thread: GUI thread; the window must outlive the drill (the timers are its children).

#include <QString>

namespace zoolab {

class MainWindow;

// Schedules the drill; false (with a sentence in *error) for an unknown name or bad offset.
bool scheduleDrill(MainWindow& window, const QString& spec, QString* error);

} // namespace zoolab

// zoolab: the ZooLab desktop studio. Starts an embedded 3-server ensemble, connects to it, and
// browses/edits znodes on any ZooKeeper ensemble.

#include "demo_data.h"
#include "drills.h"

#include "controllers/cluster_controller.h"
#include "controllers/embedded_cluster.h"
#include "controllers/zk_session.h"
#include "models/znode_icons.h"
#include "models/znode_tree_model.h"
#include "views/app_theme.h"
#include "views/cluster_view.h"
#include "views/connection_tab.h"
#include "views/lesson_panel.h"
#include "views/main_window.h"
#include "views/node_panel.h"
#include "views/search_pane.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QPointer>
#include <QStandardPaths>
#include <QTabWidget>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

namespace {

struct Arguments
{
    QString screenshot;
    int screenshotDelayMs = 2500;
    int quitAfterMs = -1;
    bool embedded = true;
    int port = 2181;
    QStringList connect;
    QString select;
    bool demo = false;
    QString tab;
    zoolab::ThemeChoice theme = zoolab::ThemeChoice::System;
    QString page;
    QString search;
    bool cluster = false;
    bool charts = false;
    int electionDelayMs = 0;
    QString drill;
    int loadPerSecond = 0;
    QString timeline;
    QString exportTimeline;
    QString lesson;
    bool loadOn = false;
    bool sessions = false;
};

Arguments parseArguments(QApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("ZooLab Studio: browse and edit ZooKeeper znodes; runs an embedded "
                       "ensemble of three ZooLab servers."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the main window to PATH (PNG) "
                                                       "once it has loaded, then quit."),
                                        QStringLiteral("PATH"));
    const QCommandLineOption delay(QStringLiteral("screenshot-delay"),
                                   QStringLiteral("Wait MS after start before the screenshot "
                                                  "(default 2500)."),
                                   QStringLiteral("MS"), QStringLiteral("2500"));
    const QCommandLineOption quitAfter(QStringLiteral("quit-after"),
                                       QStringLiteral("Quit after MS milliseconds."),
                                       QStringLiteral("MS"));
    const QCommandLineOption noEmbedded(QStringLiteral("no-embedded"),
                                        QStringLiteral("Do not start the embedded ensemble."));
    const QCommandLineOption connect(QStringLiteral("connect"),
                                     QStringLiteral("Also connect to HOST:PORT[,HOST:PORT][/chroot]"
                                                    " (repeatable)."),
                                     QStringLiteral("HOST:PORT[/chroot]"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("First client port of the embedded "
                                                 "ensemble (default 2181: 2181-2183)."),
                                  QStringLiteral("PORT"), QStringLiteral("2181"));
    const QCommandLineOption select(QStringLiteral("select"),
                                    QStringLiteral("Reveal and select this znode in the current "
                                                   "tab once loaded."),
                                    QStringLiteral("PATH"));
    const QCommandLineOption demo(QStringLiteral("demo-data"),
                                  QStringLiteral("Create a few sample znodes in the embedded "
                                                 "ensemble."));
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   QStringLiteral("system (default: follow the system), light "
                                                  "or dark."),
                                   QStringLiteral("THEME"), QStringLiteral("system"));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Same as --theme dark."));
    const QCommandLineOption page(QStringLiteral("page"),
                                  QStringLiteral("Show this page of the node panel: data, stat "
                                                 "or acl."),
                                  QStringLiteral("PAGE"));
    const QCommandLineOption search(QStringLiteral("search"),
                                    QStringLiteral("Open the search pane and find znodes whose "
                                                   "name contains TEXT."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption cluster(QStringLiteral("cluster"),
                                     QStringLiteral("Open on the Cluster tab."));
    const QCommandLineOption charts(
        QStringLiteral("charts"), QStringLiteral("Open on the Cluster tab with its charts shown."));
    const QCommandLineOption electionDelay(
        QStringLiteral("election-delay"),
        QStringLiteral("Slow motion from the start: delay every message on every link by MS "
                       "(0, 20, 50, 100, 300 or 1000: speed 1x down to 1/100)."),
        QStringLiteral("MS"), QStringLiteral("0"));
    const QCommandLineOption drill(
        QStringLiteral("drill"),
        QStringLiteral("Run a drill on the embedded ensemble MS after start (default 3000): "
                       "kill-leader, slow-election, step-election, zab-write, kill-two, "
                       "isolate-leader or churn."),
        QStringLiteral("NAME[@MS]"));
    const QCommandLineOption load(QStringLiteral("demo-load"),
                                  QStringLiteral("Write to the embedded ensemble about N times a "
                                                 "second from three sessions (for the charts)."),
                                  QStringLiteral("N"));
    const QCommandLineOption timeline(
        QStringLiteral("timeline"),
        QStringLiteral("Open an exported timeline for replay on the Cluster tab, scrubbed to MS "
                       "(its time axis) when given, else to its end."),
        QStringLiteral("FILE[@MS]"));
    const QCommandLineOption exportTimeline(
        QStringLiteral("export-timeline"),
        QStringLiteral("On quitting, write the cluster timeline to FILE as JSON lines."),
        QStringLiteral("FILE"));
    const QCommandLineOption lesson(
        QStringLiteral("lesson"),
        QStringLiteral("Start a guided lesson on the Cluster tab: kill-follower, kill-two, "
                       "restart-one, kill-leader or restart-old-leader."),
        QStringLiteral("NAME"));
    const QCommandLineOption loadOn(QStringLiteral("load"),
                                    QStringLiteral("Turn the toolbar's load switch on at start."));
    const QCommandLineOption sessions(QStringLiteral("sessions"),
                                      QStringLiteral("Open on the Cluster tab's Sessions page "
                                                     "(lock queues, sessions per server)."));
    parser.addOptions({screenshot,     delay,  quitAfter,     noEmbedded, connect, port,
                       select,         demo,   theme,         dark,       page,    search,
                       cluster,        charts, electionDelay, drill,      load,    timeline,
                       exportTimeline, lesson, loadOn,        sessions});
    parser.process(app);
    Arguments args;
    args.screenshot = parser.value(screenshot);
    args.screenshotDelayMs = parser.value(delay).toInt();
    if (parser.isSet(quitAfter))
        args.quitAfterMs = parser.value(quitAfter).toInt();
    args.embedded = !parser.isSet(noEmbedded);
    args.port = parser.value(port).toInt();
    args.connect = parser.values(connect);
    args.select = parser.value(select);
    args.demo = parser.isSet(demo);
    const auto choice = zoolab::parseThemeChoice(parser.value(theme));
    if (!choice) {
        std::cerr << "zoolab: --theme must be system, light or dark\n";
        std::exit(2);
    }
    args.theme = parser.isSet(dark) ? zoolab::ThemeChoice::Dark : *choice;
    args.page = parser.value(page);
    args.search = parser.value(search);
    args.charts = parser.isSet(charts);
    args.cluster = parser.isSet(cluster) || args.charts;
    args.electionDelayMs = parser.value(electionDelay).toInt();
    args.drill = parser.value(drill);
    args.timeline = parser.value(timeline);
    args.exportTimeline = parser.value(exportTimeline);
    args.lesson = parser.value(lesson);
    args.loadOn = parser.isSet(loadOn);
    args.sessions = parser.isSet(sessions);
    if (parser.isSet(load))
        args.loadPerSecond = std::max(1, parser.value(load).toInt());
    return args;
}

} // namespace

int main(int argc, char** argv)
{
    Q_INIT_RESOURCE(zoolab);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ZooLab"));
    QApplication::setApplicationName(QStringLiteral("zoolab"));
    QApplication::setApplicationDisplayName(QStringLiteral("ZooLab Studio"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setDesktopFileName(QStringLiteral("zoolab"));
    QApplication::setWindowIcon(zoolab::appIcon());
    const Arguments args = parseArguments(app);
    zoolab::applyTheme(app, args.theme);
    if (args.port < 0 || args.port > 65535) {
        std::cerr << "zoolab: --port must be 0..65535\n";
        return 2;
    }

    zoolab::MainWindow::Options options;
    options.embedded = args.embedded;
    options.interactive = args.screenshot.isEmpty() && args.quitAfterMs < 0;
    options.embeddedPort = static_cast<std::uint16_t>(args.port);
    options.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                      QStringLiteral("/embedded");
    options.connect = args.connect;
    zoolab::MainWindow window(options);
    window.show();
    window.startUp();
    if (args.cluster) {
        window.showClusterTab();
        if (args.charts)
            window.clusterView()->showCharts();
    }
    if (args.electionDelayMs > 0)
        window.clusterView()->setElectionDelayMs(args.electionDelayMs);
    if (!args.timeline.isEmpty()) {
        QString path = args.timeline;
        std::optional<qint64> atMs;
        const qsizetype at = path.lastIndexOf(QLatin1Char('@'));
        if (at > 0) {
            atMs = path.mid(at + 1).toLongLong();
            path.truncate(at);
        }
        QString problem;
        window.showClusterTab();
        if (!window.clusterView()->openTimeline(path, &problem)) {
            std::cerr << "zoolab: --timeline " << path.toStdString() << ": "
                      << problem.toStdString() << '\n';
            return 2;
        }
        if (atMs)
            window.clusterController()->scrubToMs(*atMs);
    }
    if (args.loadOn)
        window.clusterController()->setLoadEnabled(true);
    if (args.sessions) {
        window.showClusterTab();
        window.clusterView()->showSessions();
    }
    if (!args.lesson.isEmpty()) {
        window.showClusterTab();
        if (!window.clusterView()->lessonPanel()->startLesson(args.lesson)) {
            std::cerr << "zoolab: --lesson: no lesson named " << args.lesson.toStdString() << '\n';
            return 2;
        }
    }
    if (!args.drill.isEmpty()) {
        QString problem;
        if (!zoolab::scheduleDrill(window, args.drill, &problem)) {
            std::cerr << "zoolab: " << problem.toStdString() << '\n';
            return 2;
        }
    }
    // The load runs beside the GUI and ends (joined below) before the ensemble stops.
    std::atomic<bool> stopLoad{false};
    std::thread load;
    if (args.loadPerSecond > 0 && window.cluster() && window.cluster()->running())
        load = std::thread(zoolab::runDemoLoad, window.cluster()->connectString(), 3,
                           args.loadPerSecond, std::cref(stopLoad));

    auto* first = qobject_cast<zoolab::ConnectionTab*>(window.tabs()->currentWidget());
    if (first && !args.page.isEmpty())
        first->panel()->showPage(args.page);
    // The search starts once the tab is connected (and the demo data, if any, is in).
    auto startSearch = [text = args.search](zoolab::ConnectionTab* tab) {
        if (text.isEmpty() || !tab)
            return;
        tab->showSearch();
        tab->search()->setRoot(QStringLiteral("/"));
        tab->search()->setQuery(text, zoolab::SearchPane::NameContains);
        tab->search()->search();
    };
    if (args.demo && window.cluster() && window.cluster()->running() && first) {
        QPointer<zoolab::ConnectionTab> tab(first);
        const std::string target = window.cluster()->connectString();
        auto inbox = first->session()->inbox();
        QThreadPool::globalInstance()->start([target, inbox, tab, select = args.select,
                                              startSearch] {
            const std::string problem = zoolab::seedDemoData(target);
            inbox->post([tab, problem, select, startSearch] {
                if (!tab)
                    return;
                if (!problem.empty())
                    std::cerr << "zoolab: demo data: " << problem << '\n';
                // The server shows containers and TTL nodes as persistent; say what they are.
                tab->model()->noteCreated(QStringLiteral("/app/jobs"), zk::CreateMode::Container);
                tab->model()->noteCreated(QStringLiteral("/app/cache-hint"),
                                          zk::CreateMode::PersistentWithTtl);
                if (auto client = tab->session()->client()) {
                    const std::string who = "studio";
                    client->create("/app/members", {}, zk::openAclUnsafe(),
                                   zk::CreateMode::Persistent, [](auto) {});
                    client->create("/app/members/member-", zk::Bytes(who.begin(), who.end()),
                                   zk::openAclUnsafe(), zk::CreateMode::EphemeralSequential,
                                   [](auto) {});
                }
                tab->model()->reload();
                if (!select.isEmpty())
                    tab->revealPath(select);
                startSearch(tab);
            });
        });
    } else if (first) {
        if (!args.select.isEmpty())
            first->revealPath(args.select);
        if (!args.search.isEmpty()) {
            auto started = std::make_shared<bool>(false);
            QObject::connect(first->session(), &zoolab::ZkSession::stateChanged, first,
                             [first, startSearch, started](zk::client::SessionState state) {
                                 if (state == zk::client::SessionState::Connected && !*started) {
                                     *started = true;
                                     startSearch(first);
                                 }
                             });
        }
    }

    if (!args.screenshot.isEmpty()) {
        QTimer::singleShot(std::max(0, args.screenshotDelayMs), &window, [&window, &args] {
            const bool ok = window.grab().save(args.screenshot, "PNG");
            std::cerr << (ok ? "zoolab: screenshot saved to " : "zoolab: cannot write ")
                      << args.screenshot.toStdString() << '\n';
            QApplication::exit(ok ? 0 : 1);
        });
    }
    if (args.quitAfterMs >= 0)
        QTimer::singleShot(args.quitAfterMs, &app, &QApplication::quit);
    const int status = app.exec();
    if (!args.exportTimeline.isEmpty()) {
        QString problem;
        if (!window.clusterView()->exportTimeline(args.exportTimeline, &problem))
            std::cerr << "zoolab: --export-timeline: " << problem.toStdString() << '\n';
    }
    stopLoad = true;
    if (load.joinable())
        load.join();
    return status;
}

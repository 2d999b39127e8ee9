// zoolab-cli: zkCli.sh's command line for ZooLab and any ZooKeeper server.
//
//   zoolab-cli [-server host:port[,host:port][/chroot]] [-timeout ms] [-r] [cmd args...]
//
// With a command it runs it once and exits with zkCli's code (0 ok, 1 failed, 127 unknown
// command); without one it is an interactive shell with history and tab completion.
#include "cli/cli_shell.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#ifdef ZOOLAB_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

namespace {

std::mutex g_outputMutex;

void write(std::FILE* stream, std::string_view text)
{
    std::lock_guard lock(g_outputMutex);
    std::fwrite(text.data(), 1, text.size(), stream);
    std::fflush(stream);
}

struct Arguments
{
    std::string server = "localhost:2181";
    int timeoutMs = 30000;
    bool readOnly = false;
    std::vector<std::string> command;
};

// zkCli's own parser (ZooKeeperMain.MyCommandOptions.parseOptions): single-dash long
// options, then the command words.
bool parseArguments(int argc, char** argv, Arguments& args)
{
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (!args.command.empty()) {
            args.command.push_back(word);
        } else if (word == "-server" && i + 1 < argc) {
            args.server = argv[++i];
        } else if (word == "-timeout" && i + 1 < argc) {
            args.timeoutMs = std::atoi(argv[++i]);
        } else if (word == "-r") {
            args.readOnly = true;
        } else if (word == "-waitforconnection") {
            // Always done: the shell waits for the handshake before the first command.
        } else if (word == "-client-configuration" && i + 1 < argc) {
            ++i; // Accepted for compatibility; there is nothing to configure yet.
        } else if (word == "-h" || word == "--help") {
            return false;
        } else if (!word.empty() && word[0] == '-') {
            return false;
        } else {
            args.command.push_back(word);
        }
    }
    return true;
}

std::string joinWords(const std::vector<std::string>& words)
{
    std::string line;
    for (const std::string& word : words) {
        if (!line.empty())
            line += ' ';
        // Words with spaces came quoted from the shell; quote them again for the tokenizer.
        line += word.find(' ') == std::string::npos ? word : "\"" + word + "\"";
    }
    return line;
}

#ifdef ZOOLAB_HAVE_LIBEDIT
zk::cli::CliShell* g_shell = nullptr;
std::vector<std::string> g_matches;

char* nextMatch(const char*, int state)
{
    static std::size_t index = 0;
    if (state == 0)
        index = 0;
    if (index >= g_matches.size())
        return nullptr;
    // readline frees each match with free().
    const std::string& match = g_matches[index++];
    auto* copy = static_cast<char*>(std::malloc(match.size() + 1));
    std::memcpy(copy, match.c_str(), match.size() + 1);
    return copy;
}

char** completeLine(const char*, int, int end)
{
    const std::string line(rl_line_buffer, static_cast<std::size_t>(end));
    g_matches = g_shell->complete(line);
    rl_attempted_completion_over = 1;
    // A znode with children gets no trailing space so that '/' can follow.
    rl_completion_append_character = '\0';
    const std::size_t start = line.find_last_of(" \t");
    const std::string word = start == std::string::npos ? line : line.substr(start + 1);
    return rl_completion_matches(word.c_str(), nextMatch);
}

bool readLine(const std::string& prompt, std::string& line)
{
    char* raw = readline(prompt.c_str());
    if (!raw)
        return false;
    line = raw;
    std::free(raw);
    if (line.find_first_not_of(" \t") != std::string::npos)
        add_history(line.c_str());
    return true;
}
#else
bool readLine(const std::string& prompt, std::string& line)
{
    write(stdout, prompt);
    return static_cast<bool>(std::getline(std::cin, line));
}
#endif

int interactive(zk::cli::CliShell& shell)
{
    write(stdout, "Welcome to ZooKeeper!\n");
#ifdef ZOOLAB_HAVE_LIBEDIT
    write(stdout, "JLine support is enabled\n");
    g_shell = &shell;
    rl_attempted_completion_function = completeLine;
#else
    write(stdout, "JLine support is disabled\n");
#endif
    std::string line;
    while (!shell.quitRequested() && readLine(shell.prompt(), line))
        shell.execute(line);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    Arguments args;
    if (!parseArguments(argc, argv, args)) {
        write(stderr, "usage: zoolab-cli [-server host:port] [-timeout ms] [-r] [cmd args]\n");
        return 1;
    }
    zk::cli::CliSink sink{[](std::string_view text) { write(stdout, text); },
                          [](std::string_view text) { write(stderr, text); }};
    zk::cli::ShellOptions options;
    options.sessionTimeoutMs = args.timeoutMs;
    options.readOnly = args.readOnly;
    zk::cli::CliShell shell(sink, options);
    shell.connect(args.server);
    if (args.command.empty())
        return interactive(shell);
    const auto status = shell.execute(joinWords(args.command));
    shell.setPrintWatches(false);
    if (shell.session() && !shell.quitRequested())
        shell.execute("quit");
    return static_cast<int>(status);
}

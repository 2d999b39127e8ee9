#pragma once
// Text helpers for the zkCli-compatible shell (cli_shell.h): command-line tokenizing and
// option parsing as ZooKeeperMain/commons-cli do it, and every printed form zkCli 3.8 uses
// (stat blocks, ACLs, error messages, the usage list). Pure functions, no I/O.

#include "client/client_types.h"

#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace zk::cli {

// ZooKeeperMain.MyCommandOptions.parseCommand: whitespace-separated words, or a whole
// '...' or "..." string with its quotes stripped.
std::vector<std::string> tokenize(std::string_view line);

// commons-cli PosixParser as zkCli uses it: "-x" options anywhere on the line, flags may be
// bundled ("-es"), value options take the next word. args[0] is the command name.
struct ParsedCommand
{
    std::vector<std::string> args;
    std::set<char> flags;
    std::map<char, std::string> values;

    bool has(char option) const { return flags.count(option) != 0 || values.count(option) != 0; }
};
// flagOptions: options without a value; valueOptions: options that take one. nullopt for an
// unknown option or a missing value (zkCli then prints the command's usage).
std::optional<ParsedCommand> parseOptions(const std::vector<std::string>& words,
                                          std::string_view flagOptions,
                                          std::string_view valueOptions);

// Java's Long.toHexString: two's complement for negatives, no leading zeros.
std::string javaHex(std::int64_t value);
// java.util.Date.toString() for epoch milliseconds in the local time zone:
// "Sun Nov 22 18:32:06 UTC 2026".
std::string javaDate(std::int64_t epochMs);
// StatPrinter: the eleven "name = value" lines, each ending in '\n'.
std::string formatStat(const Stat& stat);
// Data as zkCli prints it: UTF-8 text, or "null" for a null buffer.
std::string formatData(const client::OptionalBytes& data);
// "[a, b]" as Java's List.toString.
std::string formatList(const std::vector<std::string>& items);

// ZooDefs perms as "cdrwa" letters, in that order.
std::string permString(std::int32_t perms);
// getAcl's two lines per entry: "'world,'anyone\n: cdrwa\n" (jute CSV of the Id).
std::string formatAcl(const AclList& acl);
// AclParser.parse: "scheme:id:perm,..."; problems are appended to *errors as zkCli prints
// them ("x does not have the form scheme:id:perm", "Unknown perm type: q").
AclList parseAcl(std::string_view text, std::string* errors);

// CliWrapperException.getMessage for a failed request on path, e.g.
// "Node does not exist: /a" or "KeeperErrorCode = No such watcher for /b".
std::string errorMessage(ZError error, std::string_view path);

// ZooKeeperMain.usage(): the header line and one tab-indented line per command.
std::string usageText();
// The usage line of one command ("get [-s] [-w] path"), empty if unknown.
std::string_view commandUsage(std::string_view command);
// Every command name zkCli knows, sorted (for help and completion).
const std::vector<std::string>& commandNames();

} // namespace zk::cli

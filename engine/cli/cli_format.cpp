#include "cli/cli_format.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace zk::cli {

std::vector<std::string> tokenize(std::string_view line)
{
    std::vector<std::string> words;
    std::size_t i = 0;
    const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (i < line.size()) {
        while (i < line.size() && space(line[i]))
            ++i;
        if (i >= line.size())
            break;
        const char c = line[i];
        if (c == '"' || c == '\'') {
            const std::size_t close = line.find(c, i + 1);
            if (close != std::string_view::npos) {
                words.emplace_back(line.substr(i + 1, close - i - 1));
                i = close + 1;
                continue;
            }
            // An unmatched quote: Java's pattern cannot match here and skips the character.
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < line.size() && !space(line[i]))
            ++i;
        words.emplace_back(line.substr(start, i - start));
    }
    return words;
}

std::optional<ParsedCommand> parseOptions(const std::vector<std::string>& words,
                                          std::string_view flagOptions,
                                          std::string_view valueOptions)
{
    ParsedCommand parsed;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (i == 0 || word.size() < 2 || word[0] != '-') {
            parsed.args.push_back(word);
            continue;
        }
        for (std::size_t k = 1; k < word.size(); ++k) {
            const char option = word[k];
            if (valueOptions.find(option) != std::string_view::npos) {
                // The rest of the word, or else the next word, is the value.
                if (k + 1 < word.size()) {
                    parsed.values[option] = word.substr(k + 1);
                } else if (i + 1 < words.size()) {
                    parsed.values[option] = words[++i];
                } else {
                    return std::nullopt;
                }
                break;
            }
            if (flagOptions.find(option) == std::string_view::npos)
                return std::nullopt;
            parsed.flags.insert(option);
        }
    }
    return parsed;
}

std::string javaHex(std::int64_t value)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    auto bits = static_cast<std::uint64_t>(value);
    if (bits == 0)
        return "0";
    std::string text;
    while (bits != 0) {
        text.push_back(kDigits[bits & 0xf]);
        bits >>= 4;
    }
    std::reverse(text.begin(), text.end());
    return text;
}

std::string javaDate(std::int64_t epochMs)
{
    // Java floors toward negative infinity for pre-1970 times.
    std::int64_t seconds = epochMs / 1000;
    if (epochMs % 1000 < 0)
        --seconds;
    const auto time = static_cast<std::time_t>(seconds);
    std::tm local{};
    localtime_r(&time, &local);
    std::array<char, 64> buffer{};
    const std::size_t n =
        std::strftime(buffer.data(), buffer.size(), "%a %b %d %H:%M:%S %Z %Y", &local);
    return std::string(buffer.data(), n);
}

std::string formatStat(const Stat& stat)
{
    std::string text;
    const auto line = [&text](std::string_view name, const std::string& value) {
        text.append(name).append(" = ").append(value).push_back('\n');
    };
    line("cZxid", "0x" + javaHex(stat.czxid));
    line("ctime", javaDate(stat.ctime));
    line("mZxid", "0x" + javaHex(stat.mzxid));
    line("mtime", javaDate(stat.mtime));
    line("pZxid", "0x" + javaHex(stat.pzxid));
    line("cversion", std::to_string(stat.cversion));
    line("dataVersion", std::to_string(stat.version));
    line("aclVersion", std::to_string(stat.aversion));
    line("ephemeralOwner", "0x" + javaHex(stat.ephemeralOwner));
    line("dataLength", std::to_string(stat.dataLength));
    line("numChildren", std::to_string(stat.numChildren));
    return text;
}

std::string formatData(const client::OptionalBytes& data)
{
    if (!data)
        return "null";
    return std::string(data->begin(), data->end());
}

std::string formatList(const std::vector<std::string>& items)
{
    std::string text = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            text += ", ";
        text += items[i];
    }
    text += "]";
    return text;
}

std::string permString(std::int32_t perms)
{
    std::string text;
    if (perms & zk::perms::Create)
        text += 'c';
    if (perms & zk::perms::Delete)
        text += 'd';
    if (perms & zk::perms::Read)
        text += 'r';
    if (perms & zk::perms::Write)
        text += 'w';
    if (perms & zk::perms::Admin)
        text += 'a';
    return text;
}

namespace {

// org.apache.jute.Utils.toCSVString.
std::string csvString(std::string_view text)
{
    std::string out = "'";
    for (const char c : text) {
        switch (c) {
        case '\0':
            out += "%00";
            break;
        case '\n':
            out += "%0A";
            break;
        case '\r':
            out += "%0D";
            break;
        case ',':
            out += "%2C";
            break;
        case '}':
            out += "%7D";
            break;
        case '%':
            out += "%25";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace

std::string formatAcl(const AclList& acl)
{
    std::string text;
    for (const Acl& entry : acl) {
        text += csvString(entry.id.scheme) + "," + csvString(entry.id.id) + "\n";
        text += ": " + permString(entry.perms) + "\n";
    }
    return text;
}

AclList parseAcl(std::string_view text, std::string* errors)
{
    AclList acl;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item =
            text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
        start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
        const std::size_t first = item.find(':');
        const std::size_t last = item.rfind(':');
        if (first == std::string_view::npos || first == last) {
            if (errors)
                *errors += std::string(item) + " does not have the form scheme:id:perm\n";
            continue;
        }
        Acl entry;
        entry.id.scheme = std::string(item.substr(0, first));
        entry.id.id = std::string(item.substr(first + 1, last - first - 1));
        for (const char c : item.substr(last + 1)) {
            switch (c) {
            case 'r':
                entry.perms |= zk::perms::Read;
                break;
            case 'w':
                entry.perms |= zk::perms::Write;
                break;
            case 'c':
                entry.perms |= zk::perms::Create;
                break;
            case 'd':
                entry.perms |= zk::perms::Delete;
                break;
            case 'a':
                entry.perms |= zk::perms::Admin;
                break;
            default:
                if (errors)
                    *errors += std::string("Unknown perm type: ") + c + "\n";
            }
        }
        acl.push_back(std::move(entry));
    }
    return acl;
}

std::string errorMessage(ZError error, std::string_view path)
{
    const std::string p(path);
    switch (error) {
    case ZError::NoNode:
        return "Node does not exist: " + p;
    case ZError::NoChildrenForEphemerals:
        return "Ephemerals cannot have children: " + p;
    case ZError::NodeExists:
        return "Node already exists: " + p;
    case ZError::NotEmpty:
        return "Node not empty: " + p;
    case ZError::NotReadOnly:
        return "Not a read-only call: " + p;
    case ZError::InvalidAcl:
        return "Acl is not valid : " + p;
    case ZError::NoAuth:
        return "Insufficient permission : " + p;
    case ZError::BadArguments:
        return "Argument error : " + p;
    case ZError::BadVersion:
        return "version No is not valid : " + p;
    case ZError::ReconfigInProgress:
        return "Another reconfiguration is in progress -- concurrent reconfigs not supported "
               "(yet)";
    default:
        break;
    }
    std::string text = "KeeperErrorCode = " + std::string(errorName(error));
    if (!path.empty())
        text += " for " + p;
    return text;
}

namespace {

struct CommandUsage
{
    std::string_view name;
    std::string_view usage; // Everything after the name, as zkCli prints it.
};

// ZooKeeperMain's commandMap, sorted as its usage() prints it.
constexpr std::array<CommandUsage, 29> kCommands{{
    {"addWatch", "[-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] "
                 "- default is PERSISTENT_RECURSIVE"},
    {"addauth", "scheme auth"},
    {"close", ""},
    {"config", "[-c] [-w] [-s]"},
    {"connect", "host:port"},
    {"create", "[-s] [-e] [-c] [-t ttl] path [data] [acl]"},
    {"delete", "[-v version] path"},
    {"deleteall", "path [-b batch size]"},
    {"delquota", "[-n|-b|-N|-B] path"},
    {"get", "[-s] [-w] path"},
    {"getAcl", "[-s] path"},
    {"getAllChildrenNumber", "path"},
    {"getEphemerals", "path"},
    {"history", ""},
    {"listquota", "path"},
    {"ls", "[-s] [-w] [-R] path"},
    {"printwatches", "on|off"},
    {"quit", ""},
    {"reconfig", "[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3"
                 "[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* [-remove "
                 "serverId[,...]*]"},
    {"redo", "cmdno"},
    {"removewatches", "path [-c|-d|-a] [-l]"},
    {"set", "[-s] [-v version] path data"},
    {"setAcl", "[-s] [-v version] [-R] path acl"},
    {"setquota", "-n|-b|-N|-B val path"},
    {"stat", "[-w] path"},
    {"sync", "path"},
    {"version", ""},
    {"whoami", ""},
    {"help", ""},
}};

} // namespace

std::string usageText()
{
    std::string text = "ZooKeeper -server host:port -client-configuration properties-file cmd "
                       "args\n";
    for (const CommandUsage& command : kCommands) {
        if (command.name == "help")
            continue;
        text += "\t" + std::string(command.name) + " " + std::string(command.usage) + "\n";
    }
    return text;
}

std::string_view commandUsage(std::string_view command)
{
    static const auto lines = [] {
        std::map<std::string, std::string, std::less<>> result;
        for (const CommandUsage& c : kCommands)
            result[std::string(c.name)] = std::string(c.name) + " " + std::string(c.usage);
        return result;
    }();
    const auto it = lines.find(command);
    return it == lines.end() ? std::string_view{} : std::string_view(it->second);
}

const std::vector<std::string>& commandNames()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> result;
        for (const CommandUsage& c : kCommands)
            result.emplace_back(c.name);
        std::sort(result.begin(), result.end());
        return result;
    }();
    return names;
}

} // namespace zk::cli

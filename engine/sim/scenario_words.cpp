#include "sim/scenario_words.h"

#include <charconv>
#include <sstream>

namespace zk::sim {

std::vector<std::string> scenarioWords(std::string_view line)
{
    std::vector<std::string> out;
    std::istringstream in{std::string(line)};
    std::string word;
    while (in >> word)
        out.push_back(word);
    return out;
}

std::optional<std::int64_t> scenarioNumber(std::string_view text)
{
    int base = 10;
    if (text.starts_with("0x")) {
        text.remove_prefix(2);
        base = 16;
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::optional<std::string_view> scenarioRawOption(const std::vector<std::string>& words,
                                                  std::size_t from, std::string_view key)
{
    for (std::size_t i = from; i < words.size(); ++i) {
        std::string_view word = words[i];
        if (word.starts_with(key) && word.size() > key.size() && word[key.size()] == '=')
            return word.substr(key.size() + 1);
    }
    return std::nullopt;
}

std::optional<std::int64_t> scenarioOption(const std::vector<std::string>& words, std::size_t from,
                                           std::string_view key)
{
    const auto raw = scenarioRawOption(words, from, key);
    return raw ? scenarioNumber(*raw) : std::nullopt;
}

std::uint32_t scenarioPercentToPerMillion(std::string_view text)
{
    double value = 0;
    std::istringstream in{std::string(text)};
    in >> value;
    if (value < 0)
        value = 0;
    if (value > 100)
        value = 100;
    return static_cast<std::uint32_t>(value * 10'000.0 + 0.5);
}

std::optional<std::pair<std::int64_t, std::int64_t>> scenarioRange(std::string_view text)
{
    const auto dots = text.find("..");
    const auto low = scenarioNumber(text.substr(0, dots));
    const auto high = dots == std::string_view::npos ? low : scenarioNumber(text.substr(dots + 2));
    if (!low || !high || *high < *low)
        return std::nullopt;
    return std::pair{*low, *high};
}

} // namespace zk::sim

#pragma once
// The small parsers shared by the scenario runners (scenario.cpp, zab_scenario.cpp): a
// command line split into words, numbers in decimal or 0x hex, key=value options and
// percentages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk::sim {

std::vector<std::string> scenarioWords(std::string_view line);
// Decimal, or hex after "0x"; nothing if the whole text is not a number.
std::optional<std::int64_t> scenarioNumber(std::string_view text);
// The value of "key=value" among words[from...], if present.
std::optional<std::string_view> scenarioRawOption(const std::vector<std::string>& words,
                                                  std::size_t from, std::string_view key);
// As scenarioRawOption, parsed as a number.
std::optional<std::int64_t> scenarioOption(const std::vector<std::string>& words, std::size_t from,
                                           std::string_view key);
// "5" or "0.5" (percent) as a rate per million, clamped to 0..100 %.
std::uint32_t scenarioPercentToPerMillion(std::string_view text);
// "a..b" or "a" as a range; nothing unless low <= high.
std::optional<std::pair<std::int64_t, std::int64_t>> scenarioRange(std::string_view text);

} // namespace zk::sim

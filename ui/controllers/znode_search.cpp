#include "controllers/znode_search.h"

#include <algorithm>
#include <deque>

namespace zoolab {

SearchMatcher::SearchMatcher(const SearchQuery& query) : m_query(query)
{
    if (query.text.isEmpty()) {
        m_problem = QStringLiteral("Type what to search for.");
        return;
    }
    if (!query.regex)
        return;
    QRegularExpression::PatternOptions options = QRegularExpression::UseUnicodePropertiesOption;
    if (!query.caseSensitive)
        options |= QRegularExpression::CaseInsensitiveOption;
    m_regex = QRegularExpression(query.text, options);
    if (!m_regex.isValid())
        m_problem = QStringLiteral("The regular expression is not valid: %1 (at character %2).")
                        .arg(m_regex.errorString())
                        .arg(m_regex.patternErrorOffset() + 1);
    else
        m_regex.optimize();
}

bool SearchMatcher::matchesText(const QString& text) const
{
    if (m_query.regex)
        return m_regex.match(text).hasMatch();
    return text.contains(m_query.text,
                         m_query.caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
}

bool SearchMatcher::matchesBytes(const zk::client::OptionalBytes& data) const
{
    if (!data || data->empty())
        return false;
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char*>(data->data()), qsizetype(data->size()));
    return matchesText(text);
}

namespace {

// The walk's state, so the per-node steps stay small.
struct Walk
{
    zk::client::SyncClient& sync;
    const SearchMatcher& matcher;
    const SearchQuery& query;
    const std::function<void(const std::string&)>& onMatch;
    int maxMatches;
    SearchResult result;
    std::deque<std::string> queue;
    std::size_t queued = 0;
};

// False when the search must stop (the error is set).
bool visit(Walk& walk, const std::string& path)
{
    bool matched = false;
    if (walk.query.target == SearchQuery::Target::Name) {
        const std::string name = path == "/" ? "/" : path.substr(path.rfind('/') + 1);
        matched = walk.matcher.matchesText(QString::fromStdString(name));
    } else {
        auto data = walk.sync.getData(path);
        if (data.error == zk::ZError::NoNode)
            return true;
        if (data.error == zk::ZError::NoAuth) {
            ++walk.result.unreadable;
        } else if (!data.ok()) {
            walk.result.error = failure("read", path, data.error);
            return false;
        } else {
            matched = walk.matcher.matchesBytes(data.value.data);
        }
    }
    if (matched) {
        if (walk.result.matches < walk.maxMatches) {
            ++walk.result.matches;
            walk.onMatch(path);
        } else {
            walk.result.truncated = true;
        }
    }
    auto children = walk.sync.getChildren(path);
    if (children.error == zk::ZError::NoNode)
        return true;
    if (children.error == zk::ZError::NoAuth) {
        if (walk.query.target == SearchQuery::Target::Name)
            ++walk.result.unreadable;
        return true;
    }
    if (!children.ok()) {
        walk.result.error = failure("list", path, children.error);
        return false;
    }
    auto names = children.value.children;
    std::sort(names.begin(), names.end());
    for (const auto& name : names)
        walk.queue.push_back(childPath(path, name));
    walk.queued += names.size();
    if (walk.queued > std::size_t(maxTreeNodes)) {
        walk.result.error = QStringLiteral("The subtree has more than %1 nodes; search a smaller "
                                           "part of it.")
                                .arg(maxTreeNodes);
        return false;
    }
    return true;
}

} // namespace

SearchResult searchSubtree(zk::client::SyncClient& sync, const std::string& root,
                           const SearchQuery& query, const Progress& progress,
                           const std::function<void(const std::string& path)>& onMatch,
                           int maxMatches)
{
    const SearchMatcher matcher(query);
    Walk walk{sync, matcher, query, onMatch, maxMatches, {}, {}, 0};
    if (!matcher.problem().isEmpty()) {
        walk.result.error = matcher.problem();
        return walk.result;
    }
    auto exists = sync.exists(root);
    if (!exists.ok()) {
        walk.result.error = failure("search under", root, exists.error);
        return walk.result;
    }
    // The count makes a real progress bar; servers before 3.6 answer Unimplemented.
    auto count = sync.getAllChildrenNumber(root);
    const int total = count.ok() ? count.value + 1 : 0;
    walk.queue.push_back(root);
    walk.queued = 1;
    while (!walk.queue.empty()) {
        const std::string path = std::move(walk.queue.front());
        walk.queue.pop_front();
        if (!visit(walk, path))
            return walk.result;
        ++walk.result.visited;
        const int shownTotal = total == 0 ? 0 : std::max(total, walk.result.visited);
        if (progress && !progress(walk.result.visited, shownTotal)) {
            walk.result.cancelled = true;
            return walk.result;
        }
    }
    return walk.result;
}

} // namespace zoolab

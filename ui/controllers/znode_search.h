#pragma once
// Searching a subtree for znodes by name (substring or regular expression) or by data.
// Blocking, over a SyncClient; SearchJob (search_job.h) runs it off the GUI thread.
//
// Walk: breadth-first from the root, the root included. A node is matched by its own name
// (the last path segment) or by its data decoded as UTF-8 (bytes that are not UTF-8 become
// U+FFFD and so match nothing but themselves). Nodes that vanish during the walk are skipped;
// nodes the session may not read (NoAuth) are skipped and counted; any other failure stops
// the search with a sentence.
//
// Thread: a worker thread. progress(visited, total) is called after each node (total is 0
// when the server cannot count the subtree) and may return false to cancel; onMatch(path) is
// called on the same thread for each match, in walk order. Bounded: maxTreeNodes nodes
// visited, maxMatches matches reported (the rest are counted as truncated).

#include "controllers/subtree_walk.h"

#include <QRegularExpression>
#include <QString>

#include <functional>
#include <string>

namespace zoolab {

struct SearchQuery
{
    enum class Target
    {
        Name,
        Data
    };
    QString text;
    Target target = Target::Name;
    bool regex = false;
    bool caseSensitive = false;
};

// Compiled once per search; matches names or data. Any thread (read-only after building).
class SearchMatcher
{
public:
    explicit SearchMatcher(const SearchQuery& query);
    // Empty when the query can run, otherwise a sentence (empty text, bad pattern).
    QString problem() const { return m_problem; }
    bool matchesText(const QString& text) const;
    bool matchesBytes(const zk::client::OptionalBytes& data) const;

private:
    SearchQuery m_query;
    QRegularExpression m_regex;
    QString m_problem;
};

struct SearchResult
{
    int visited = 0;
    int matches = 0;
    int unreadable = 0; // skipped for NoAuth
    bool cancelled = false;
    bool truncated = false; // more than maxMatches matched; the rest were not reported
    QString error;          // plain words; empty when the search ran to its end
};

constexpr int maxSearchMatches = 10000;

SearchResult searchSubtree(zk::client::SyncClient& sync, const std::string& root,
                           const SearchQuery& query, const Progress& progress,
                           const std::function<void(const std::string& path)>& onMatch,
                           int maxMatches = maxSearchMatches);

} // namespace zoolab

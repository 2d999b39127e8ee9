#pragma once
// The one include of Boost.Asio for ZooLab. Boost 1.74's awaitable.hpp needs <utility>
// first (BUILD.md, gotcha 2).

#include <utility>

#include <boost/asio.hpp>

namespace zk {
namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;
} // namespace zk

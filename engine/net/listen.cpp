#include "net/listen.h"

namespace zk {

std::error_code listenOn(tcp::acceptor& acceptor, const std::string& address, std::uint16_t port)
{
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(address, ec);
    if (ec)
        return ec;
    const tcp::endpoint endpoint(ip, port);
    acceptor.open(endpoint.protocol(), ec);
    if (ec)
        return ec;
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    return ec;
}

} // namespace zk

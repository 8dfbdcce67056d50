#include "server/http/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <mutex>
#include <thread>
#include <vector>

#include "server/http/http_session.h"

namespace trainyard {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using http_internal::Session;

struct HttpServer::Impl {
  Impl(HttpServerOptions opts, const api::Router& r)
      : options(std::move(opts)),
        router(r),
        ioc(options.threads),
        acceptor(net::make_strand(ioc)),
        signals(ioc, SIGINT, SIGTERM) {}

  void DoAccept() {
    acceptor.async_accept(net::make_strand(ioc), [this](boost::system::error_code ec,
                                                        tcp::socket socket) {
      if (ec) {
        if (ec != net::error::operation_aborted) {
          spdlog::warn("http: accept failed: {}", ec.message());
        }
        if (!acceptor.is_open()) return;
        return DoAccept();
      }
      auto session = std::make_shared<Session>(std::move(socket), options, router);
      {
        // Checked under the same lock Shutdown takes, so a connection is
        // either registered before shutdown begins (and told to close) or
        // refused: never left open and forgotten.
        std::lock_guard lock(sessions_mu);
        if (shutting_down) return;  // the session closes its socket as it goes
        std::erase_if(sessions, [](const std::weak_ptr<Session>& s) { return s.expired(); });
        sessions.push_back(session);
      }
      session->Start();
      DoAccept();
    });
  }

  HttpServerOptions options;
  const api::Router& router;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::signal_set signals;
  std::mutex sessions_mu;
  bool shutting_down = false;  // guarded by sessions_mu
  std::vector<std::weak_ptr<Session>> sessions;  // guarded by sessions_mu
};

HttpServer::HttpServer(HttpServerOptions options, const api::Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() {
  boost::system::error_code ec;
  auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec) return Status::Validation("--listen: '" + impl_->options.address + "' is not an IP address");
  tcp::endpoint endpoint(address, impl_->options.port);
  const std::string where = impl_->options.address + ":" + std::to_string(impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable("cannot listen on " + where + ": " + ec.message());
  return Status::Ok();
}

uint16_t HttpServer::port() const {
  boost::system::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void HttpServer::Run() {
  impl_->signals.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}; finishing requests in flight", signal);
    Shutdown();
  });
  net::post(impl_->acceptor.get_executor(), [this] { impl_->DoAccept(); });

  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->options.threads; ++i) {
    extra.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : extra) t.join();
}

void HttpServer::Shutdown() {
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(impl_->sessions_mu);
    if (impl_->shutting_down) return;
    impl_->shutting_down = true;
    for (auto& weak : impl_->sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  net::post(impl_->acceptor.get_executor(), [this] {
    boost::system::error_code ec;
    impl_->acceptor.close(ec);
    impl_->signals.cancel(ec);
  });
  for (auto& session : open) session->BeginShutdown();
}

}  // namespace trainyard

// baseline_server: the HTTP baseline of bench/run.sh. The same Beast and Asio
// as trainyard's transport (server/http), set up the same way -- one
// io_context served by --threads threads, a strand per connection, the same
// parser limits and idle timeout, keep-alive -- but every request gets the
// same fixed JSON reply and nothing else is done. Load on it against load on
// trainyard isolates what trainyard's own work costs.
//
//   baseline_server [--listen 127.0.0.1:8081] [--threads 2] [--body-file FILE]
//
// --body-file: the reply body (default {"ok":true}); run.sh passes a real
// Describe response so that both servers send the same bytes.
// Prints "listening on HOST:PORT" once bound; SIGINT/SIGTERM stop it.
#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

struct Options {
  std::string address = "127.0.0.1";
  unsigned short port = 8081;
  int threads = 2;
  std::string body = R"({"ok":true})";
  // As trainyard's HttpServerOptions defaults.
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 8 << 10;
  std::chrono::milliseconds idle_timeout{60'000};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Options& options)
      : stream_(std::move(socket)), options_(options) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->body_limit(options_.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    stream_.expires_after(options_.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec) return Close();  // end of stream, timeout, or a bad request: no work here
    const auto& request = parser_->get();
    response_.emplace(http::status::ok, request.version());
    response_->set(http::field::server, "baseline");
    response_->set(http::field::content_type, "application/json");
    response_->body() = options_.body;
    response_->keep_alive(request.keep_alive());
    response_->prepare_payload();
    stream_.expires_after(options_.idle_timeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t) {
    if (ec || response_->need_eof()) return Close();
    response_.reset();
    DoRead();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  const Options& options_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
};

class Listener {
 public:
  Listener(net::io_context& ioc, const Options& options)
      : ioc_(ioc), options_(options), acceptor_(net::make_strand(ioc)) {}

  bool Start(std::string& error) {
    beast::error_code ec;
    auto address = net::ip::make_address(options_.address, ec);
    if (ec) {
      error = "'" + options_.address + "' is not an IP address";
      return false;
    }
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      error = ec.message();
      return false;
    }
    return true;
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  void DoAccept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor_.is_open()) return;
      } else {
        std::make_shared<Session>(std::move(socket), options_)->Start();
      }
      DoAccept();
    });
  }

  void Stop() {
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
  }

 private:
  net::io_context& ioc_;
  const Options& options_;
  tcp::acceptor acceptor_;
};

int Usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--listen HOST:PORT] [--threads N] [--body-file FILE]\n", argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return Usage(argv[0]);
    const std::string value = argv[++i];
    if (arg == "--listen") {
      const size_t colon = value.rfind(':');
      if (colon == std::string::npos) return Usage(argv[0]);
      options.address = value.substr(0, colon);
      options.port = static_cast<unsigned short>(std::stoi(value.substr(colon + 1)));
    } else if (arg == "--threads") {
      options.threads = std::max(1, std::stoi(value));
    } else if (arg == "--body-file") {
      std::ifstream in(value, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "baseline_server: cannot read %s\n", value.c_str());
        return 1;
      }
      std::ostringstream body;
      body << in.rdbuf();
      options.body = body.str();
    } else {
      return Usage(argv[0]);
    }
  }

  net::io_context ioc(options.threads);
  Listener listener(ioc, options);
  std::string error;
  if (!listener.Start(error)) {
    std::fprintf(stderr, "baseline_server: cannot listen on %s:%u: %s\n", options.address.c_str(),
                 options.port, error.c_str());
    return 1;
  }
  std::cout << "listening on " << options.address << ":" << listener.port() << std::endl;

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) {
    listener.Stop();
    ioc.stop();
  });
  listener.DoAccept();

  std::vector<std::thread> extra;
  for (int i = 1; i < options.threads; ++i) extra.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : extra) t.join();
  return 0;
}

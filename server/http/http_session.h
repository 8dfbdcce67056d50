// One client connection (internal to the transport). Kept alive by
// shared_from_this() in every completion handler; all of its handlers run on
// its own strand, so it needs no locks.
//
// A streamed response (api::ResponseStream) is the connection's last: its
// headers go out with chunked transfer encoding and Connection: close, then
// each chunk as the stream yields it, then the final empty chunk, then the
// connection closes. Shutdown ends a stream at once.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <memory>
#include <optional>

#include "api/router.h"
#include "server/http/http_server.h"

namespace trainyard::http_internal {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(net::ip::tcp::socket socket, const HttpServerOptions& options,
          const api::Router& router);

  void Start();
  // Graceful close: an idle connection closes now; a busy one after its
  // pending responses are written. Thread-safe.
  void BeginShutdown();

 private:
  using Response = http::response<http::string_body>;

  using StreamHeader = http::response<http::empty_body>;

  struct Slot {
    std::optional<Response> response;
    // Or a streamed response: its headers and its body.
    std::optional<StreamHeader> stream_header;
    std::shared_ptr<api::ResponseStream> stream;
    bool ready() const { return response.has_value() || stream != nullptr; }
  };

  void DoRead();
  // True when bytes of a next request have arrived (parsed or still queued).
  bool RequestArriving();
  // Closes a connection still reading when `grace` runs out (see .cpp).
  void ArmShutdownGrace(std::chrono::milliseconds grace);
  void OnRead(beast::error_code ec, size_t bytes);
  void Enqueue(http::request<http::string_body> request);
  void DispatchNext();
  void Fill(uint64_t id, Response response);
  void FillStream(uint64_t id, StreamHeader header, std::shared_ptr<api::ResponseStream> stream);
  // http_stream.cpp: writing a streamed response.
  void StartStream();
  void PumpStream();
  void WriteStreamChunk(std::string data, bool last);
  void EndStream();
  void ArmHeartbeat();
  void RespondError(int status, std::string_view type, std::string_view message);
  void MaybeWrite();
  void OnWrite(bool close, beast::error_code ec, size_t bytes);
  void Close();

  // How long a request still arriving at shutdown may take to finish.
  static constexpr std::chrono::milliseconds kShutdownGrace{3000};
  // How long an idle connection waits at shutdown for a request already sent.
  static constexpr std::chrono::milliseconds kShutdownDrain{250};

  beast::tcp_stream stream_;
  net::steady_timer shutdown_timer_;
  net::steady_timer heartbeat_timer_;
  beast::flat_buffer buffer_;
  const HttpServerOptions& options_;
  const api::Router& router_;
  std::optional<http::request_parser<http::string_body>> parser_;

  struct Waiting {
    uint64_t id;  // its slot
    api::ApiRequest request;
    unsigned version;
    bool keep_alive;
  };

  std::deque<Slot> slots_;    // responses in request order
  uint64_t front_id_ = 0;     // id of slots_.front()
  // Pipelined requests are parsed ahead but handled one at a time, so a
  // Describe sent right after a Create on the same connection sees the job.
  std::deque<Waiting> waiting_;
  bool handling_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool read_closed_ = false;  // no more requests will be read
  bool shutting_down_ = false;
  bool grace_extended_ = false;  // the full grace has been given once
  bool closed_ = false;

  // A streamed response is queued: nothing more is read or handled.
  bool streaming_ = false;
  // HTTP/1.1 frames the stream in chunks; HTTP/1.0 has no chunks, so its
  // body is the raw bytes up to the close.
  bool stream_chunked_ = true;
  // The streamed response being written, once its headers are out.
  std::shared_ptr<api::ResponseStream> stream_body_;
  std::optional<http::response_serializer<http::empty_body>> stream_serializer_;
  std::string stream_chunk_;  // the chunk being written
  bool stream_ending_ = false;  // the final chunk is queued or written
};

}  // namespace trainyard::http_internal

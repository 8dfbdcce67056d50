#include "server/http/http_session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <cctype>

#include "api/errors.h"

namespace trainyard::http_internal {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

api::ApiRequest ToApiRequest(http::request<http::string_body>&& request) {
  api::ApiRequest out;
  out.method = std::string(request.method_string());
  std::string_view target = request.target();
  size_t q = target.find('?');
  out.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) out.query = std::string(target.substr(q + 1));
  for (const auto& field : request) {
    out.headers[Lower(field.name_string())] = std::string(field.value());
  }
  out.body = std::move(request.body());
  return out;
}

}  // namespace

Session::Session(net::ip::tcp::socket socket, const HttpServerOptions& options,
                 const api::Router& router)
    : stream_(std::move(socket)),
      shutdown_timer_(stream_.get_executor()),
      heartbeat_timer_(stream_.get_executor()),
      options_(options),
      router_(router) {}

void Session::Start() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&Session::DoRead, shared_from_this()));
}

void Session::BeginShutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->shutting_down_ = true;
    if (self->stream_body_) return self->EndStream();
    if (!self->reading_) {
      // Between requests: one is being handled or its response written.
      // DoRead decides, once it is out, whether another has begun arriving.
      if (self->slots_.empty() && !self->writing_) self->Close();
      return;
    }
    // A request whose first bytes have arrived is in flight: let it finish,
    // within a grace, and read nothing after it. Bytes a client sent just
    // before the signal may still be on their way through the loopback or
    // network stack, so an idle-looking connection gets a short drain first.
    self->read_closed_ = true;
    if (self->RequestArriving()) {
      self->grace_extended_ = true;
      return self->ArmShutdownGrace(kShutdownGrace);
    }
    self->ArmShutdownGrace(kShutdownDrain);
  });
}

bool Session::RequestArriving() {
  beast::error_code ignored;
  return (reading_ && parser_ && parser_->got_some()) || buffer_.size() > 0 ||
         stream_.socket().available(ignored) > 0;
}

void Session::ArmShutdownGrace(std::chrono::milliseconds grace) {
  shutdown_timer_.expires_after(grace);
  shutdown_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || !self->reading_) return;
    if (self->RequestArriving()) {
      // It started arriving during the drain: give it the full grace once;
      // still unfinished after that, the client has stalled.
      if (self->grace_extended_) return self->Close();
      self->grace_extended_ = true;
      return self->ArmShutdownGrace(kShutdownGrace);
    }
    if (self->slots_.empty()) return self->Close();
    // Busy: stop reading but let the pending responses go out first.
    beast::error_code ignored;
    self->stream_.socket().shutdown(net::socket_base::shutdown_receive, ignored);
  });
}

void Session::DoRead() {
  if (read_closed_ || closed_ || reading_) return;
  if (slots_.size() >= options_.pipeline_limit) return;  // resumed by OnWrite
  if (shutting_down_) {
    // Finish a request the client has started sending, or sends within the
    // drain; begin no new one after it.
    read_closed_ = true;
    grace_extended_ = RequestArriving();
    ArmShutdownGrace(grace_extended_ ? kShutdownGrace : kShutdownDrain);
  }
  parser_.emplace();
  parser_->body_limit(options_.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
  stream_.expires_after(options_.idle_timeout);
  reading_ = true;
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&Session::OnRead, shared_from_this()));
}

void Session::OnRead(beast::error_code ec, size_t) {
  reading_ = false;
  shutdown_timer_.cancel();
  // After a streamed response nothing is handled: a request read meanwhile
  // (or the read StartStream cancelled) is dropped unanswered, as a
  // connection that announced its close may do.
  if (closed_ || streaming_) return;
  if (ec == http::error::end_of_stream) {
    read_closed_ = true;
    if (slots_.empty()) Close();
    return;
  }
  if (ec == beast::error::timeout) {
    spdlog::debug("http: closing a connection idle or stalled for {} ms",
                  options_.idle_timeout.count());
    return Close();
  }
  if (ec == http::error::body_limit) {
    return RespondError(413, "PayloadTooLarge",
                        "Request body exceeds the limit of " +
                            std::to_string(options_.max_body_bytes) + " bytes");
  }
  if (ec == http::error::header_limit) {
    return RespondError(431, "RequestHeaderFieldsTooLarge",
                        "Request headers exceed the limit of " +
                            std::to_string(options_.max_header_bytes) + " bytes");
  }
  if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
      ec != http::error::partial_message) {
    return RespondError(400, "ValidationException", "Malformed HTTP request: " + ec.message());
  }
  if (ec) return Close();  // reset, aborted, or closed mid-message: nobody to answer

  Enqueue(parser_->release());
  DoRead();
}

void Session::Enqueue(http::request<http::string_body> request) {
  const uint64_t id = front_id_ + slots_.size();
  slots_.emplace_back();
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  if (!keep_alive) read_closed_ = true;
  waiting_.push_back({id, ToApiRequest(std::move(request)), version, keep_alive});
  DispatchNext();
}

void Session::DispatchNext() {
  if (handling_ || waiting_.empty()) return;
  handling_ = true;
  Waiting next = std::move(waiting_.front());
  waiting_.pop_front();
  const uint64_t id = next.id;
  const unsigned version = next.version;
  const bool keep_alive = next.keep_alive;

  // The guard keeps io_context::run() going while the engine holds the
  // request, so a graceful shutdown waits for its reply.
  auto guard = net::make_work_guard(stream_.get_executor());
  router_.Handle(std::move(next.request),
                 [self = shared_from_this(), id, version, keep_alive,
                  guard](api::ApiResponse api_response) mutable {
                   net::post(self->stream_.get_executor(),
                             [self, id, version, keep_alive, guard,
                              api_response = std::move(api_response)]() mutable {
                               if (api_response.stream) {
                                 StreamHeader header{static_cast<http::status>(api_response.status),
                                                     version};
                                 header.set(http::field::server, "trainyard");
                                 header.set(http::field::content_type, api_response.content_type);
                                 for (auto& [name, value] : api_response.headers) {
                                   header.set(name, value);
                                 }
                                 self->handling_ = false;
                                 self->FillStream(id, std::move(header),
                                                  std::move(api_response.stream));
                                 guard.reset();
                                 return;
                               }
                               Response response{static_cast<http::status>(api_response.status),
                                                 version};
                               response.set(http::field::server, "trainyard");
                               if (!api_response.content_type.empty()) {
                                 response.set(http::field::content_type, api_response.content_type);
                               }
                               for (auto& [name, value] : api_response.headers) {
                                 response.set(name, value);
                               }
                               response.body() = std::move(api_response.body);
                               response.keep_alive(keep_alive);
                               response.prepare_payload();
                               self->handling_ = false;
                               self->Fill(id, std::move(response));
                               self->DispatchNext();
                               guard.reset();
                             });
                 });
}

void Session::Fill(uint64_t id, Response response) {
  if (closed_ || id < front_id_) return;
  if (read_closed_ && id + 1 == front_id_ + slots_.size()) response.keep_alive(false);
  slots_[id - front_id_].response = std::move(response);
  MaybeWrite();
}

void Session::FillStream(uint64_t id, StreamHeader header,
                         std::shared_ptr<api::ResponseStream> stream) {
  if (closed_ || id < front_id_) return;
  // Nothing is read after a stream: it lasts until the job ends, and the
  // connection closes with it.
  read_closed_ = true;
  streaming_ = true;
  waiting_.clear();
  header.keep_alive(false);
  stream_chunked_ = header.version() >= 11;
  header.chunked(stream_chunked_);
  Slot& slot = slots_[id - front_id_];
  slot.stream_header = std::move(header);
  slot.stream = std::move(stream);
  MaybeWrite();
}

void Session::RespondError(int status, std::string_view type, std::string_view message) {
  // After a framing error the stream cannot be resynchronised: answer, close.
  read_closed_ = true;
  api::ApiResponse api_response = api::ErrorResponse(status, type, message);
  Response response{static_cast<http::status>(status), 11};
  response.set(http::field::server, "trainyard");
  response.set(http::field::content_type, api_response.content_type);
  response.body() = std::move(api_response.body);
  response.keep_alive(false);
  response.prepare_payload();
  slots_.emplace_back();
  slots_.back().response = std::move(response);
  MaybeWrite();
}

void Session::MaybeWrite() {
  if (writing_ || closed_ || slots_.empty() || !slots_.front().ready()) return;
  if (slots_.front().stream) return StartStream();
  writing_ = true;
  Response& response = *slots_.front().response;
  const bool close = response.need_eof();
  stream_.expires_after(options_.idle_timeout);
  http::async_write(stream_, response,
                    beast::bind_front_handler(&Session::OnWrite, shared_from_this(), close));
}

void Session::OnWrite(bool close, beast::error_code ec, size_t) {
  writing_ = false;
  if (ec) return Close();
  slots_.pop_front();
  ++front_id_;
  if (close || (read_closed_ && slots_.empty() && !reading_)) return Close();
  MaybeWrite();
  DoRead();  // resumes reading if the pipeline limit had paused it
}

void Session::Close() {
  if (closed_) return;
  closed_ = true;
  shutdown_timer_.cancel();
  heartbeat_timer_.cancel();
  if (stream_body_) stream_body_->Cancel();
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  stream_.close();
}

}  // namespace trainyard::http_internal

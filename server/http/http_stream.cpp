// Session: writing a streamed response (see http_session.h). One chunk is in
// flight at a time; after each write the stream is pulled again until it has
// nothing, then the session waits for the stream's wake or the heartbeat.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "server/http/http_session.h"

namespace trainyard::http_internal {

void Session::StartStream() {
  // A read still pending for a next request would time out the connection
  // after idle_timeout however busy the stream is: cancel it (OnRead ignores
  // it). Nothing else is in flight: MaybeWrite starts only when idle.
  if (reading_) stream_.cancel();
  Slot& slot = slots_.front();
  stream_body_ = std::move(slot.stream);
  writing_ = true;
  stream_serializer_.emplace(*slot.stream_header);
  stream_.expires_after(options_.idle_timeout);
  http::async_write_header(
      stream_, *stream_serializer_,
      [self = shared_from_this()](beast::error_code ec, size_t) {
        self->writing_ = false;
        if (ec) return self->Close();
        if (self->shutting_down_) return self->EndStream();
        // The stream may wake us from any thread, even after we are gone.
        std::weak_ptr<Session> weak = self;
        self->stream_body_->Start([weak] {
          if (auto session = weak.lock()) {
            net::post(session->stream_.get_executor(), [session] {
              if (!session->writing_ && !session->closed_) session->PumpStream();
            });
          }
        });
        self->PumpStream();
      });
}

void Session::PumpStream() {
  if (writing_ || closed_ || stream_ending_) return;
  if (shutting_down_) return EndStream();
  api::ResponseStream::Chunk chunk = stream_body_->Pull();
  if (!chunk.data.empty() || chunk.last) return WriteStreamChunk(std::move(chunk.data), chunk.last);
  ArmHeartbeat();
}

void Session::WriteStreamChunk(std::string data, bool last) {
  if (last) stream_ending_ = true;
  if (data.empty()) {
    if (!stream_chunked_) return Close();  // HTTP/1.0: the close ends the body
    // Only the final empty chunk is left.
    writing_ = true;
    stream_.expires_after(options_.idle_timeout);
    net::async_write(stream_, http::make_chunk_last(),
                     [self = shared_from_this()](beast::error_code, size_t) {
                       self->writing_ = false;
                       self->Close();
                     });
    return;
  }
  stream_chunk_ = std::move(data);
  writing_ = true;
  // A reader that stops reading fills the socket buffers; the write then
  // stalls and this timeout closes the connection, while the feed drops the
  // subscription's backlog: neither the engine nor other readers wait.
  stream_.expires_after(options_.idle_timeout);
  auto written = [self = shared_from_this(), last](beast::error_code ec, size_t) {
    self->writing_ = false;
    if (ec) {
      spdlog::debug("http: event stream closed: {}", ec.message());
      return self->Close();
    }
    if (last) return self->WriteStreamChunk(std::string(), true);
    self->PumpStream();
  };
  if (stream_chunked_) {
    net::async_write(stream_, http::make_chunk(net::buffer(stream_chunk_)), std::move(written));
  } else {
    net::async_write(stream_, net::buffer(stream_chunk_), std::move(written));
  }
}

void Session::EndStream() {
  if (closed_ || stream_ending_) return;
  heartbeat_timer_.cancel();
  if (stream_body_) stream_body_->Cancel();
  if (writing_) {
    // The chunk in flight completes, then PumpStream sees the shutdown; a
    // reader that stopped reading gets the grace, not the idle timeout.
    shutdown_timer_.expires_after(kShutdownGrace);
    shutdown_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && self->writing_) self->Close();
    });
    return;
  }
  // Tell the reader why it ends early, and where to resume.
  WriteStreamChunk(stream_body_->Closing(), true);
}

void Session::ArmHeartbeat() {
  heartbeat_timer_.expires_after(options_.stream_heartbeat);
  heartbeat_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->writing_ || self->closed_ || self->stream_ending_) return;
    self->WriteStreamChunk(self->stream_body_->Heartbeat(), false);
  });
}

}  // namespace trainyard::http_internal

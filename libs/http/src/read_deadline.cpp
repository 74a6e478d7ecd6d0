#include "read_deadline.hpp"

namespace marina::http::detail {

ReadDeadline::ReadDeadline(boost::beast::tcp_stream& stream) : state_(std::make_shared<State>(stream)) {}

ReadDeadline::~ReadDeadline() {
  state_->stream = nullptr;
  state_->timer.cancel();
}

void ReadDeadline::arm(std::chrono::steady_clock::time_point at) {
  const std::uint64_t generation = ++state_->generation;
  state_->expired = false;
  state_->timer.expires_at(at);
  state_->timer.async_wait([state = state_, generation](boost::system::error_code ec) {
    if (ec || state->stream == nullptr || state->generation != generation) return;
    state->expired = true;
    state->stream->socket().cancel(ec);
  });
}

void ReadDeadline::disarm() {
  ++state_->generation;
  state_->timer.cancel();
}

bool ReadDeadline::expired() const { return state_->expired; }

}  // namespace marina::http::detail

#pragma once
// A deadline for reading one request that, unlike beast::tcp_stream's own
// timeout, does not close the socket when it passes: it cancels the read (which
// then completes with operation_aborted) and says so, so the server can still
// answer 408 before it closes. Used only on the connection's strand.
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

namespace marina::http::detail {

class ReadDeadline {
 public:
  explicit ReadDeadline(boost::beast::tcp_stream& stream);
  // The timer's handler may still be queued when the session ends: it then
  // finds no stream and does nothing.
  ~ReadDeadline();
  ReadDeadline(const ReadDeadline&) = delete;
  ReadDeadline& operator=(const ReadDeadline&) = delete;

  // From now until `at`, reads on the stream are cancelled when it passes.
  void arm(std::chrono::steady_clock::time_point at);
  void disarm();
  // The last armed deadline passed (and cancelled the read in progress).
  bool expired() const;

 private:
  struct State {
    explicit State(boost::beast::tcp_stream& s) : timer(s.get_executor()), stream(&s) {}
    boost::asio::steady_timer timer;
    boost::beast::tcp_stream* stream;
    std::uint64_t generation = 0;  // which arm() a queued handler belongs to
    bool expired = false;
  };
  std::shared_ptr<State> state_;
};

}  // namespace marina::http::detail

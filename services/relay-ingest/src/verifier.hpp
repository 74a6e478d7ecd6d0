#pragma once
// Runs decode() (parse, id, signature: ~50 us an event) for a whole batch on
// threads of its own, so the I/O thread stays free to finish the previous
// batch's commit, publish and ack meanwhile (strfry's ingester threads).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <vector>

#include "item.hpp"

namespace marina::relay_ingest {

class Verifier {
 public:
  // threads == 0: decode on the calling coroutine's thread.
  explicit Verifier(std::size_t threads);
  ~Verifier();
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  // Items in delivery order. The caller must run on a strand (or a
  // single-threaded io_context): completions are counted there.
  boost::asio::awaitable<Batch> decode_all(std::vector<Delivery> deliveries);

 private:
  std::size_t threads_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
};

}  // namespace marina::relay_ingest

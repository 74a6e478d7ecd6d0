#pragma once
// The sink a BodyProducer (response.hpp) writes a streamed body into. The
// server implements it over Beast (src/body_writer.cpp); this header stays
// free of Beast so that handlers compile fast.
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <string_view>

namespace marina::http {

class BodyWriter {
 public:
  virtual ~BodyWriter() = default;

  // Sends `chunk` (one HTTP/1.1 chunk; empty chunks are skipped, since an
  // empty chunk would end the body). Completes once the bytes have been
  // handed to the socket, so a slow client slows the producer down instead
  // of growing memory. The first write also sends the header: until then, an
  // exception from the producer still becomes a normal error response.
  // Throws boost::system::system_error when the client is gone, too slow
  // (the server's write timeout) or the server is stopping past its deadline.
  virtual boost::asio::awaitable<void> write(std::string_view chunk) = 0;

  // Body bytes written so far (chunk framing excluded).
  virtual std::size_t bytes_written() const = 0;
};

}  // namespace marina::http

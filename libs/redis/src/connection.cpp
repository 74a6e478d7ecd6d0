#include "connection.hpp"

#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include "hiredis_reply.hpp"
#include "marina/core/log.hpp"
#include "marina/redis/errors.hpp"

namespace marina::redis::detail {

namespace {

Connection* self_of(void* p) { return static_cast<Connection*>(p); }

}  // namespace

Connection::Connection(boost::asio::any_io_executor executor, Options options)
    : options_(std::move(options)),
      where_(describe(options_)),
      strand_(boost::asio::make_strand(executor)),
      socket_(strand_),
      resolver_(strand_),
      connect_timer_(strand_),
      reconnect_timer_(strand_),
      reconnect_backoff_(options_.reconnect_min, options_.reconnect_max) {}

Connection::~Connection() {
  // Only reached with a live context when close() never ran (its executor
  // stopped first): release hiredis without posting anything anywhere.
  dying_ = true;
  if (ac_ != nullptr) redisAsyncFree(ac_);
}

void Connection::start() {
  boost::asio::post(strand_, [self = shared_from_this()] { self->connect(); });
}

void Connection::submit(std::vector<std::string> args, boost::asio::any_io_executor caller, Completion completion) {
  auto command = std::make_unique<PendingCommand>(
      PendingCommand{std::move(args), boost::asio::make_work_guard(caller), std::move(completion)});
  boost::asio::dispatch(strand_, [self = shared_from_this(), command = std::move(command)]() mutable {
    self->issue(std::move(command));
  });
}

void Connection::close() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->closed_ = true;
    self->reconnect_timer_.cancel();
    self->connect_timer_.cancel();
    self->resolver_.cancel();
    self->fail_waiting("redis client closed");
    // Fails the commands in flight (their callbacks get no reply), then the cleanup hook runs.
    if (self->ac_ != nullptr) redisAsyncFree(self->ac_);
  });
}

void Connection::connect() {
  if (closed_) return;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(options_.host, ec);
  if (!ec) {
    attach(address.to_string());
    return;
  }
  // hiredis would resolve a name with a blocking getaddrinfo on this thread.
  resolving_ = true;
  resolver_.async_resolve(options_.host, std::to_string(options_.port),
                          [self = shared_from_this()](const boost::system::error_code& error,
                                                      const boost::asio::ip::tcp::resolver::results_type& results) {
                            self->resolving_ = false;
                            if (self->closed_) return;
                            if (error || results.empty()) {
                              self->note_down("cannot resolve " + self->options_.host + ": " + error.message());
                              self->fail_waiting("redis unavailable: cannot resolve " + self->options_.host);
                              self->schedule_reconnect();
                              return;
                            }
                            self->attach(results.begin()->endpoint().address().to_string());
                          });
}

void Connection::attach(const std::string& address) {
  redisAsyncContext* ac = redisAsyncConnect(address.c_str(), options_.port);
  int fd = ac != nullptr && ac->err == 0 ? ::dup(ac->c.fd) : -1;
  boost::system::error_code ec;
  if (fd >= 0) socket_.assign(fd, ec);
  if (fd < 0 || ec) {
    std::string why = ac == nullptr ? "out of memory" : ac->err != 0 ? ac->errstr : "cannot watch the socket";
    if (fd >= 0 && ec) ::close(fd);
    if (ac != nullptr) redisAsyncFree(ac);  // no hooks attached yet: nothing calls back
    note_down(why);
    fail_waiting("redis unavailable: " + why);
    schedule_reconnect();
    return;
  }
  ac_ = ac;
  ++generation_;
  want_read_ = want_write_ = read_armed_ = write_armed_ = false;
  ac->data = this;
  ac->ev.data = this;
  ac->ev.addRead = &Connection::hook_add_read;
  ac->ev.delRead = &Connection::hook_del_read;
  ac->ev.addWrite = &Connection::hook_add_write;
  ac->ev.delWrite = &Connection::hook_del_write;
  ac->ev.cleanup = &Connection::hook_cleanup;
  redisEnableKeepAlive(&ac->c);  // notice a peer that vanished without closing
  // Also asks for write readiness, which is when hiredis learns the connect outcome.
  redisAsyncSetConnectCallback(ac, &Connection::on_connect);

  connect_timer_.expires_after(options_.connect_timeout);
  connect_timer_.async_wait([self = shared_from_this(), generation = generation_](const boost::system::error_code& e) {
    if (e || generation != self->generation_ || self->ac_ == nullptr || self->connected_) return;
    self->note_down("connect timed out");
    redisAsyncFree(self->ac_);  // queued commands fail; the cleanup hook schedules the next attempt
  });

  send_handshake();
  auto waiting = std::move(waiting_for_address_);
  for (auto& command : waiting) issue(std::move(command));
}

void Connection::send_handshake() {
  // Queued ahead of every user command, so none runs unauthenticated or in the wrong database.
  auto internal = [this](std::vector<std::string> args) {
    issue(std::make_unique<PendingCommand>(PendingCommand{std::move(args), std::nullopt, {}}));
  };
  if (!options_.password.empty()) {
    if (options_.username.empty()) {
      internal({"AUTH", options_.password});
    } else {
      internal({"AUTH", options_.username, options_.password});
    }
  }
  if (options_.db != 0) internal({"SELECT", std::to_string(options_.db)});
}

void Connection::issue(std::unique_ptr<PendingCommand> command) {
  if (closed_) return finish(std::move(command), std::make_exception_ptr(Unavailable("redis client closed")), {});
  if (ac_ == nullptr) {
    if (resolving_) {
      waiting_for_address_.push_back(std::move(command));
      return;
    }
    return finish(std::move(command),
                  std::make_exception_ptr(Unavailable("redis unavailable (" + where_ + "): reconnecting")), {});
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(command->args.size());
  lengths.reserve(command->args.size());
  for (const auto& a : command->args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  if (redisAsyncCommandArgv(ac_, &Connection::on_reply, command.get(), static_cast<int>(argv.size()), argv.data(),
                            lengths.data()) != REDIS_OK) {
    return finish(std::move(command),
                  std::make_exception_ptr(Unavailable("redis unavailable (" + where_ + "): connection closing")), {});
  }
  command.release();  // hiredis hands it back to on_reply
}

void Connection::finish(std::unique_ptr<PendingCommand> command, std::exception_ptr error, Reply reply) {
  if (!command->caller) return;  // internal command
  auto executor = command->caller->get_executor();
  // The work guard travels with the completion and is released on the caller's thread.
  boost::asio::post(executor, [completion = std::move(command->completion), guard = std::move(*command->caller), error,
                               reply = std::move(reply)]() mutable { std::move(completion)(error, std::move(reply)); });
}

void Connection::fail_waiting(const std::string& why) {
  auto waiting = std::move(waiting_for_address_);
  for (auto& command : waiting) finish(std::move(command), std::make_exception_ptr(Unavailable(why)), {});
}

void Connection::schedule_reconnect() {
  reconnect_timer_.expires_after(reconnect_backoff_.next());
  reconnect_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && !self->closed_) self->connect();
  });
}

void Connection::arm_read() {
  if (read_armed_ || !socket_.is_open()) return;
  read_armed_ = true;
  socket_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                     [self = shared_from_this(), generation = generation_](const boost::system::error_code& ec) {
                       if (generation != self->generation_) return;  // a wait on a context long gone
                       self->read_armed_ = false;
                       if (ec || self->ac_ == nullptr || !self->want_read_) return;
                       redisAsyncHandleRead(self->ac_);  // may free the context (then ac_ is null)
                       if (self->ac_ != nullptr && self->want_read_) self->arm_read();
                     });
}

void Connection::arm_write() {
  if (write_armed_ || !socket_.is_open()) return;
  write_armed_ = true;
  socket_.async_wait(boost::asio::posix::stream_descriptor::wait_write,
                     [self = shared_from_this(), generation = generation_](const boost::system::error_code& ec) {
                       if (generation != self->generation_) return;
                       self->write_armed_ = false;
                       if (ec || self->ac_ == nullptr || !self->want_write_) return;
                       redisAsyncHandleWrite(self->ac_);
                       if (self->ac_ != nullptr && self->want_write_) self->arm_write();
                     });
}

void Connection::on_context_gone() {
  std::string why = ac_ != nullptr && ac_->err != 0 ? ac_->errstr : "closed";
  ac_ = nullptr;
  want_read_ = want_write_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);  // our dup; hiredis closes its own descriptor
  if (dying_) return;
  connect_timer_.cancel();
  if (connected_.exchange(false) && !closed_) {
    log::warn("redis connection lost", {{"redis", where_}, {"error", why}});
    down_reported_ = true;
  }
  if (!closed_) schedule_reconnect();
}

void Connection::note_down(const std::string& why) {
  // Once per outage: a reconnect loop must not write a line per attempt.
  if (down_reported_) return;
  down_reported_ = true;
  log::warn("redis unreachable", {{"redis", where_}, {"error", why}});
}

void Connection::hook_add_read(void* p) noexcept {
  try {
    self_of(p)->want_read_ = true;
    self_of(p)->arm_read();
  } catch (...) {
    // Out of memory arming a wait: the keepalive or the next command notices.
  }
}

void Connection::hook_del_read(void* p) noexcept { self_of(p)->want_read_ = false; }

void Connection::hook_add_write(void* p) noexcept {
  try {
    self_of(p)->want_write_ = true;
    self_of(p)->arm_write();
  } catch (...) {
  }
}

void Connection::hook_del_write(void* p) noexcept { self_of(p)->want_write_ = false; }

void Connection::hook_cleanup(void* p) noexcept {
  try {
    self_of(p)->on_context_gone();
  } catch (...) {
  }
}

void Connection::on_connect(const redisAsyncContext* ac, int status) noexcept {
  auto* self = self_of(ac->data);
  if (status != REDIS_OK) {
    // hiredis frees the context right after this; the cleanup hook reconnects.
    try {
      self->note_down(ac->errstr);
    } catch (...) {
    }
    return;
  }
  self->connected_ = true;
  self->reconnect_backoff_.reset();
  try {
    self->connect_timer_.cancel();
    if (self->down_reported_) log::info("redis connected", {{"redis", self->where_}});
  } catch (...) {
  }
  self->down_reported_ = false;
}

void Connection::on_reply(redisAsyncContext* ac, void* reply, void* privdata) noexcept {
  std::unique_ptr<PendingCommand> command(static_cast<PendingCommand*>(privdata));
  auto* self = self_of(ac->data);
  if (self->dying_) return;
  try {
    if (reply == nullptr) {
      auto error = std::make_exception_ptr(Unavailable("redis connection lost before the reply to " + command->args[0]));
      finish(std::move(command), error, {});
      return;
    }
    Reply copy = from_hiredis(static_cast<const redisReply*>(reply));
    if (!command->caller && copy.is_error()) {
      log::error("redis handshake failed", {{"redis", self->where_}, {"command", command->args[0]}, {"error", copy.str}});
    }
    finish(std::move(command), nullptr, std::move(copy));
  } catch (...) {
    // Out of memory copying the reply: the command is dropped with its coroutine.
  }
}

}  // namespace marina::redis::detail

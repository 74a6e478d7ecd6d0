#pragma once
// A private PostgreSQL server for tests: a fresh cluster (initdb, trust auth,
// listening only on 127.0.0.1) on a free port in a temporary directory, with
// fsync off because test data need not survive a machine crash. Commits are
// still synchronous, so what was committed survives kill() and a restart. As root the
// server runs as the `postgres` user, since PostgreSQL refuses to run as root.
//
// stop()/start() restart it on the same port and data directory, so a test can
// take the database away under a client and bring it back; kill() is a crash
// (SIGKILL to the server and every backend). The destructor stops the server
// and removes the directory.
#include <cstdint>
#include <memory>
#include <string>

namespace marina::testing {

class PgServer {
 public:
  // Starts the server and creates database `marina_test`; throws with the
  // server log's tail when it cannot.
  PgServer();
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  std::uint16_t port() const;
  // postgresql://postgres@127.0.0.1:<port>/marina_test
  std::string url() const;
  // The same server, database `name`.
  std::string url(const std::string& database) const;

  // Creates database `name` and returns its URL.
  std::string create_database(const std::string& name) const;

  // Fast shutdown (clients are disconnected), waits until the process is gone.
  void stop();
  // Starts again on the same port and data directory; waits until it accepts.
  void start();
  // A crash: SIGKILL to the postmaster and every backend at once.
  void kill();
  bool running() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace marina::testing

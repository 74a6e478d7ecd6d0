#pragma once
// Result<T, E>: a value or the reason there is none.
//
// Everything in this library that reads untrusted input (events, filters,
// client messages, bech32, NIP-44 payloads, HTTP auth headers) returns a
// Result instead of throwing: invalid input is the normal case on a public
// relay, and the caller must turn each failure into a protocol answer
// (OK false, CLOSED, NOTICE, 401) without an exception per bad message.
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace marina::nostr {

// Wraps an error so that constructing a Result is never ambiguous.
template <class E>
struct Err {
  E error;
};

template <class E>
Err<std::decay_t<E>> err(E&& e) {
  return Err<std::decay_t<E>>{std::forward<E>(e)};
}

// Thrown by Result::value()/error() when the other alternative is held: a
// programming error in the caller, never a consequence of bad input.
class BadResultAccess : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

template <class T, class E>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = E;

  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <class F>
    requires std::is_constructible_v<E, F&&>
  Result(Err<F> e) : v_(std::in_place_index<1>, std::move(e.error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return check_value(), std::get<0>(v_); }
  const T& value() const& { return check_value(), std::get<0>(v_); }
  T&& value() && { return check_value(), std::get<0>(std::move(v_)); }

  E& error() & { return check_error(), std::get<1>(v_); }
  const E& error() const& { return check_error(), std::get<1>(v_); }
  E&& error() && { return check_error(), std::get<1>(std::move(v_)); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

 private:
  void check_value() const {
    if (!ok()) throw BadResultAccess("Result holds an error, not a value");
  }
  void check_error() const {
    if (ok()) throw BadResultAccess("Result holds a value, not an error");
  }

  std::variant<T, E> v_;
};

}  // namespace marina::nostr

#pragma once
// HTTP header fields with case-insensitive names, in the order they were added.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marina::http {

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // Replaces every field of that name.
  void set(std::string name, std::string value);
  // Adds one more field (Set-Cookie, Vary, ...).
  void add(std::string name, std::string value);
  void remove(std::string_view name);

  // The first field of that name.
  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace marina::http

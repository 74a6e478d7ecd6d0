#include "marina/http/json.hpp"

#include <optional>
#include <set>
#include <vector>

#include "text_rule.hpp"

namespace marina::http {

namespace {

// Longest key quoted back in a problem's detail.
constexpr std::size_t kQuotedKeyBytes = 64;

std::string quote_key(std::string_view key) {
  if (key.size() <= kQuotedKeyBytes) return "\"" + std::string(key) + "\"";
  return "\"" + std::string(key.substr(0, kQuotedKeyBytes)) + "...\"";
}

// Walks the parser's events to name where a value sits (a JSON pointer, RFC
// 6901) and to see every key of every object, which the parsed DOM cannot:
// nlohmann keeps the last of two equal keys.
class StrictText {
 public:
  bool on_event(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (problem_) return true;  // the first problem is the one reported
    switch (event) {
      case E::object_start: stack_.push_back(Frame{.object = true}); break;
      case E::array_start: stack_.push_back(Frame{.object = false}); break;
      case E::object_end:
      case E::array_end:
        if (!stack_.empty()) stack_.pop_back();
        next_element();
        break;
      case E::key: on_key(parsed.get_ref<const std::string&>()); break;
      case E::value:
        if (parsed.is_string()) check_text(parsed.get_ref<const std::string&>(), pointer());
        next_element();
        break;
    }
    return true;
  }

  const std::optional<Error>& problem() const { return problem_; }

 private:
  struct Frame {
    bool object = false;
    std::set<std::string, std::less<>> keys;
    std::string key;        // the current member's key (objects)
    std::size_t index = 0;  // the current element's index (arrays)
  };

  void on_key(const std::string& key) {
    Frame& top = stack_.back();
    top.key = key;
    check_text(key, pointer());
    if (problem_) return;
    if (!top.keys.insert(key).second) {
      problem_.emplace(400, "duplicate-key", "Duplicate key",
                       "The key " + quote_key(key) + " appears more than once in the object at " +
                           describe(pointer_of(stack_.size() - 1)) + "; each key may appear once.");
    }
  }

  void check_text(std::string_view text, const std::string& where) {
    if (auto c = detail::refused_control(text)) problem_.emplace(detail::invalid_text(describe(where), *c));
  }

  void next_element() {
    if (!stack_.empty() && !stack_.back().object) ++stack_.back().index;
  }

  static std::string describe(const std::string& pointer) {
    return pointer.empty() ? std::string("the top level") : "\"" + pointer + "\"";
  }

  // The pointer to the current value, through the first `depth` frames.
  std::string pointer_of(std::size_t depth) const {
    std::string out;
    for (std::size_t i = 0; i < depth; ++i) {
      out += '/';
      if (!stack_[i].object) {
        out += std::to_string(stack_[i].index);
        continue;
      }
      const std::string_view key = std::string_view(stack_[i].key).substr(0, kQuotedKeyBytes);
      for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
      }
    }
    return out;
  }
  std::string pointer() const { return pointer_of(stack_.size()); }

  std::vector<Frame> stack_;
  std::optional<Error> problem_;
};

}  // namespace

Response json_response(const nlohmann::json& body, int status) {
  return Response::with_body(status, std::string(kJsonContentType),
                             body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

nlohmann::json parse_json(const Request& request) {
  if (request.body.empty()) throw Error(400, "invalid-json", "Invalid JSON", "The request body is empty.");
  StrictText strict;
  auto parsed = nlohmann::json::parse(
      request.body,
      [&strict](int, nlohmann::json::parse_event_t event, nlohmann::json& value) {
        return strict.on_event(event, value);
      },
      false);
  if (parsed.is_discarded()) throw Error(400, "invalid-json", "Invalid JSON", "The request body is not valid JSON.");
  if (strict.problem()) throw *strict.problem();
  return parsed;
}

}  // namespace marina::http

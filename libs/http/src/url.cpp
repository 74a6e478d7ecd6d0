#include "marina/http/url.hpp"

#include "marina/core/percent_decode.hpp"

namespace marina::http {

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  using core::percent_decode;
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(percent_decode(item, true), std::string{});
    } else {
      out.emplace_back(percent_decode(item.substr(0, eq), true), percent_decode(item.substr(eq + 1), true));
    }
  }
  return out;
}

}  // namespace marina::http

#pragma once
// The low-level pieces of the Prometheus text format 0.0.4, public so tests and
// other exporters produce exactly the same text.
#include <string>
#include <string_view>

namespace marina::metrics {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]* and not reserved (starting with "__").
bool is_valid_label_name(std::string_view name);

// Appends a sample value the way Prometheus' own Go client writes it: Go's
// strconv 'g' shortest form ("1", "0.25", "1.5e+06", "1e-05"), and "+Inf",
// "-Inf", "NaN" for the special values.
void append_value(std::string& out, double v);
std::string format_value(double v);

// Label values escape backslash, double quote and newline.
void append_escaped_label_value(std::string& out, std::string_view value);
// HELP text escapes backslash and newline.
void append_escaped_help(std::string& out, std::string_view help);

}  // namespace marina::metrics

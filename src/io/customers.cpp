#include "keyaccount/io/customers.hpp"

#include <vector>

namespace keyaccount::io {

void read_customers(std::istream& in, format input, const record_parser& parser,
                    const std::function<bool(customer_item&&)>& sink,
                    const std::function<void(std::size_t)>& on_bytes, std::size_t lines_before) {
  std::vector<std::size_t> columns;
  read_options options;
  options.input = input;
  options.lines_before = lines_before;
  options.csv_objects = false;  // the schema reads the cells (series, lists, JSON objects)
  options.on_header = [&](const std::vector<std::string>& header) {
    columns = parser.map_columns(header);
  };
  options.on_bytes = on_bytes;
  read_records(in, options, [&](record&& r) {
    customer_item item;
    item.line = r.line;
    item.error = std::move(r.error);
    if (item.error.empty()) {
      try {
        item.record =
            input == format::csv ? parser.from_text(columns, r.cells) : parser.from_json(r.value);
      } catch (const input_error& e) {
        item.error = e.what();
      }
    }
    return sink(std::move(item));
  });
}

}  // namespace keyaccount::io

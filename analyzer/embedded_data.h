// Data tables from rules/data, compiled into the binary by
// cmake/embed_data.cmake so a copied executable needs no data files.
#pragma once

#include <string_view>

namespace distlint {

// The contents of rules/data/<name> (e.g. "torch_api.json"), or empty.
std::string_view embedded_data(std::string_view name);

}  // namespace distlint

// Builds expressions that pick a new API where it exists and the old one
// elsewhere, for projects that support torch versions on both sides.
#pragma once

#include <string>
#include <string_view>

namespace distlint::fixers {

// `(new_reference if hasattr(module, "attribute") else old_reference)`,
// where `new_reference` is "module.attribute".
std::string GuardedReference(std::string_view new_reference, std::string_view old_reference);

// The same for a call whose new form takes extra leading arguments:
// `(new(prepended, args) if hasattr(module, "attr") else old(args))`.
// `arguments` is the call's argument list including its parentheses.
std::string GuardedCall(std::string_view new_callee, std::string_view prepended_arguments,
                        std::string_view old_callee, std::string_view arguments);

}  // namespace distlint::fixers

// The web addresses of distlint's documentation, for links in SARIF output.
#pragma once

namespace distlint {

// NOTE: The project has no published home yet. This address is a
// placeholder for the repository's web view; update it (and nothing else)
// when the repository is published, because SARIF helpUri links are built
// from it.
inline constexpr const char* kProjectHomepage = "https://github.com/distlint/distlint";

// The rules reference, with one anchor per rule code (docs/rules.md#COM001).
inline constexpr const char* kRulesDocumentUrl = "https://github.com/distlint/distlint/blob/main/docs/rules.md";

}  // namespace distlint

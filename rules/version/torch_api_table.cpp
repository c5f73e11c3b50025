#include "rules/version/torch_api_table.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "analyzer/embedded_data.h"
#include "fixers/edits.h"
#include "fixers/version_guard.h"

namespace distlint {
namespace {

std::optional<TorchVersion> ReadVersion(const nlohmann::json& entry, const char* key, const std::string& name) {
  if (!entry.contains(key) || entry[key].is_null()) return std::nullopt;
  if (!entry[key].is_string()) throw std::runtime_error("torch_api.json: '" + name + "': " + key + " must be a string");
  auto version = TorchVersion::Parse(entry[key].get<std::string>());
  if (!version) throw std::runtime_error("torch_api.json: '" + name + "': invalid version in " + key);
  return version;
}

}  // namespace

TorchApiTable TorchApiTable::Parse(std::string_view json_text) {
  TorchApiTable table;
  const nlohmann::json document = nlohmann::json::parse(json_text);
  for (const nlohmann::json& entry : document.at("apis")) {
    TorchApi api;
    api.name = entry.at("name").get<std::string>();
    api.is_module = entry.value("kind", "") == "module";
    api.added = ReadVersion(entry, "added", api.name);
    api.deprecated = ReadVersion(entry, "deprecated", api.name);
    api.removed = ReadVersion(entry, "removed", api.name);
    api.replacement = entry.value("replacement", "");
    api.replacement_since = ReadVersion(entry, "replacement_since", api.name);
    api.note = entry.value("note", "");
    if (entry.contains("prepend_args")) api.prepend_args = entry["prepend_args"].get<std::vector<std::string>>();
    const std::string fix = entry.value("fix", "manual");
    if (fix == "rename") {
      api.fix = TorchApi::FixKind::kRename;
    } else if (fix == "call") {
      api.fix = TorchApi::FixKind::kCall;
    } else if (fix == "manual") {
      api.fix = TorchApi::FixKind::kManual;
    } else {
      throw std::runtime_error("torch_api.json: '" + api.name + "': fix must be rename, call or manual, not '" + fix +
                               "'");
    }
    if (!api.added && !api.deprecated && !api.removed) {
      throw std::runtime_error("torch_api.json: '" + api.name + "' has none of 'added', 'deprecated' and 'removed'");
    }
    if (api.fix != TorchApi::FixKind::kManual && (api.replacement.empty() || !api.replacement_since)) {
      throw std::runtime_error("torch_api.json: '" + api.name + "': an automatic fix needs replacement and replacement_since");
    }
    table.apis_.push_back(std::move(api));
  }
  return table;
}

const TorchApiTable& TorchApiTable::Get() {
  static const TorchApiTable table = Parse(embedded_data("torch_api.json"));
  return table;
}

const TorchApi* TorchApiTable::Find(std::string_view qualified_name) const {
  for (const TorchApi& api : apis_) {
    if (api.name == qualified_name) return &api;
  }
  return nullptr;
}

const TorchApi* ResolveTorchApi(const SemanticModel& semantic, TSNode node) {
  const Symbols& sym = Symbols::Get();
  // The table lookup comes first because it is cheap, while ts_node_parent
  // costs a descent from the root and most names are not in the table.
  const std::string name = semantic.QualifiedName(node);
  if (name.empty()) return nullptr;
  const TorchApi* api = TorchApiTable::Get().Find(name);
  if (!api) return nullptr;

  // Only the outermost node of a chain: `torch._six.inf` is checked once, as
  // a whole, not again as its object `torch._six`.
  TSNode parent = ts_node_parent(node);
  if (Is(parent, sym.attribute) && ts_node_eq(Field(parent, "object"), node)) {
    const TorchApi* longer = TorchApiTable::Get().Find(semantic.QualifiedName(parent));
    if (longer) return nullptr;
  }
  if (Is(parent, sym.attribute) && ts_node_eq(Field(parent, "attribute"), node)) return nullptr;
  // Names inside import statements are reported by the import rule path.
  // An imported name sits in a dotted_name or an aliased_import there.
  for (TSNode up = parent; !ts_node_is_null(up); up = ts_node_parent(up)) {
    if (Is(up, sym.import_statement) || Is(up, sym.import_from_statement)) return nullptr;
    if (!Is(up, sym.attribute) && !Is(up, sym.dotted_name) && !Is(up, sym.aliased_import)) break;
  }
  return api;
}

std::vector<TorchApiUse> ImportedTorchApis(const SemanticModel& semantic, TSNode import_statement) {
  const Symbols& sym = Symbols::Get();
  std::vector<TorchApiUse> uses;
  if (IsVersionGuarded(semantic, import_statement)) return uses;
  for (TSNode child : NamedChildren(import_statement)) {
    TSNode name = Is(child, sym.aliased_import) ? Field(child, "name") : child;
    if (const TorchApi* api = TorchApiTable::Get().Find(semantic.Text(name))) uses.push_back(TorchApiUse{child, api});
  }
  return uses;
}

bool IsVersionGuarded(const SemanticModel& semantic, TSNode node) {
  const Symbols& sym = Symbols::Get();
  auto condition_checks_version = [&](TSNode condition) {
    bool found = false;
    Walk(condition, [&](TSNode part) {
      if (found) return false;
      if (Is(part, sym.call)) {
        const std::string callee = semantic.QualifiedName(Field(part, "function"));
        const std::string_view text = semantic.Text(Field(part, "function"));
        // `"name" in dir(module)` probes for an attribute as hasattr does.
        if (text == "hasattr" || text == "dir" || callee.find("version") != std::string::npos) found = true;
      }
      if (Is(part, sym.attribute) || Is(part, sym.identifier)) {
        const std::string_view text = semantic.Text(part);
        if (text.find("version") != std::string_view::npos || text.find("VERSION") != std::string_view::npos) {
          found = true;
        }
      }
      return !found;
    });
    return found;
  };

  for (TSNode up = ts_node_parent(node); !ts_node_is_null(up); up = ts_node_parent(up)) {
    if (Is(up, sym.if_statement) || Is(up, sym.elif_clause) || Is(up, sym.conditional_expression)) {
      TSNode condition = Is(up, sym.conditional_expression) ? ts_node_named_child(up, 1) : Field(up, "condition");
      if (condition_checks_version(condition)) return true;
      if (Is(up, sym.if_statement)) {
        for (TSNode clause : NamedChildren(up)) {
          if (Is(clause, sym.elif_clause) && condition_checks_version(Field(clause, "condition"))) return true;
        }
      }
    }
    if (Is(up, sym.try_statement)) {
      const std::string_view text = semantic.Text(up);
      if (text.find("ImportError") != std::string_view::npos ||
          text.find("AttributeError") != std::string_view::npos ||
          text.find("ModuleNotFoundError") != std::string_view::npos) {
        return true;
      }
    }
    // The fallback in a bare `except:` or `except Exception:` handler, which
    // catches the AttributeError of a missing new API. A use in the `try`
    // body of such a handler is still reported, because the handler may be
    // generic error handling.
    if (std::string_view(ts_node_type(up)) == "except_clause") {
      TSNode caught = ts_node_named_child(up, 0);
      if (Is(caught, sym.block)) return true;
      const std::string_view caught_text = semantic.Text(caught);
      if (caught_text == "Exception" || caught_text == "BaseException" ||
          caught_text.rfind("Exception as ", 0) == 0 || caught_text.rfind("BaseException as ", 0) == 0) {
        return true;
      }
    }
    if (Is(up, sym.function_definition)) break;
  }
  return false;
}

std::optional<Fix> BuildReplacementFix(const SemanticModel& semantic, TSNode node, const TorchApi& api,
                                       const TorchVersionRange& range) {
  if (api.fix == TorchApi::FixKind::kManual || !api.replacement_since) return std::nullopt;
  const Symbols& sym = Symbols::Get();
  const bool available_everywhere = range.AllAtLeast(*api.replacement_since);

  // The new spelling of the reference, keeping the file's alias.
  std::string spelled;
  if (api.replacement.find('.') == std::string::npos) {
    spelled = api.replacement;  // A builtin such as `str`.
  } else if (auto spelling = fixers::SpellQualifiedName(semantic, node, api.replacement)) {
    spelled = *spelling;
  } else {
    return std::nullopt;
  }
  const std::string top = api.replacement.substr(0, api.replacement.find('.'));
  if (api.replacement.find('.') != std::string::npos && top != "torch" && !semantic.BindsModuleAsItself(top)) {
    return std::nullopt;  // e.g. math.inf without `import math`.
  }

  TSNode parent = ts_node_parent(node);
  const bool called = Is(parent, sym.call) && ts_node_eq(Field(parent, "function"), node);
  if (api.fix == TorchApi::FixKind::kCall && !called) return std::nullopt;

  Fix fix;
  if (available_everywhere) {
    fix.title = "Replace with `" + api.replacement + "`";
    fix.applicability = Applicability::kSafe;
    fix.edits.push_back(fixers::ReplaceNode(node, spelled));
    if (api.fix == TorchApi::FixKind::kCall && !api.prepend_args.empty()) {
      std::string joined;
      for (const std::string& argument : api.prepend_args) joined += (joined.empty() ? "" : ", ") + argument;
      fix.edits.push_back(fixers::PrependArguments(parent, joined));
    }
    return fix;
  }

  // The replacement is missing from the oldest supported versions: choose
  // between the two at run time with a guard on the new name.
  const std::string old_text(semantic.Text(node));
  TSNode target = node;
  std::string replacement;
  if (called && api.fix == TorchApi::FixKind::kCall) {
    // The arguments differ, so guard the whole call.
    target = parent;
    std::string prepended;
    for (const std::string& argument : api.prepend_args) prepended += (prepended.empty() ? "" : ", ") + argument;
    replacement = fixers::GuardedCall(spelled, prepended, old_text, semantic.Text(Field(parent, "arguments")));
  } else {
    replacement = fixers::GuardedReference(spelled, old_text);
  }
  fix.title = "Use `" + api.replacement + "` where it exists (torch >= " + api.replacement_since->ToString() +
              ") and the old name before";
  fix.applicability = Applicability::kSafe;
  fix.edits.push_back(fixers::ReplaceNode(target, replacement));
  return fix;
}

}  // namespace distlint

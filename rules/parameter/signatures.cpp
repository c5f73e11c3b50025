#include "rules/parameter/signatures.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>

#include "analyzer/embedded_data.h"

namespace distlint {
namespace {

using SignatureTable = std::unordered_map<std::string, Signature>;

SignatureTable ParseSignatureTable(std::string_view json_text) {
  SignatureTable table;
  const nlohmann::json document = nlohmann::json::parse(json_text);
  for (const nlohmann::json& entry : document.at("functions")) {
    const std::string name = entry.at("name").get<std::string>();
    Signature signature;
    signature.params = entry.at("params").get<std::vector<std::string>>();
    signature.max_positional = signature.params.size();
    if (entry.contains("later_params")) {
      for (const auto& [param, version] : entry["later_params"].items()) {
        if (!version.is_string()) {
          throw std::runtime_error("torch_distributed_signatures.json: '" + name + "': the version of '" + param +
                                   "' must be a string");
        }
        signature.later_params.emplace(param, version.get<std::string>());
      }
    }
    if (!table.emplace(name, std::move(signature)).second) {
      throw std::runtime_error("torch_distributed_signatures.json: '" + name + "' is listed twice");
    }
  }
  return table;
}

const SignatureTable& TorchSignatures() {
  static const SignatureTable table = ParseSignatureTable(embedded_data("torch_distributed_signatures.json"));
  return table;
}

// The name a parameter node binds, or empty for `*`, `/` and splats.
std::string_view ParameterName(const RuleContext& context, TSNode param) {
  const Symbols& sym = context.symbols();
  if (Is(param, sym.identifier)) return context.Text(param);
  if (Is(param, sym.default_parameter) || Is(param, sym.typed_default_parameter)) {
    return context.Text(Field(param, "name"));
  }
  if (Is(param, sym.typed_parameter)) {
    // Ex) x: int, but also *args: int and **kwargs: int.
    TSNode first = ts_node_named_child(param, 0);
    if (Is(first, sym.identifier)) return context.Text(first);
  }
  return {};
}

// True when the enclosing function of `node` binds `name` itself: as a
// parameter, a nested function or class, or the target of a plain assignment.
bool BoundInEnclosingFunction(const RuleContext& context, TSNode node, std::string_view name) {
  const Symbols& sym = context.symbols();
  TSNode scope = context.semantic().EnclosingScope(node);
  if (!Is(scope, sym.function_definition)) return false;
  for (TSNode param : NamedChildren(Field(scope, "parameters"))) {
    if (ParameterName(context, param) == name) return true;
  }
  bool bound = false;
  Walk(Field(scope, "body"), [&](TSNode child) {
    if (bound) return false;
    // Ex) a nested `def helper(...)` shadows the module-level one.
    if (Is(child, sym.function_definition) || Is(child, sym.class_definition)) {
      bound = context.Text(Field(child, "name")) == name;
      return false;
    }
    if (Is(child, sym.assignment) && context.Text(Field(child, "left")) == name) bound = true;
    return !bound;
  });
  return bound;
}

}  // namespace

bool Signature::Accepts(std::string_view keyword) const {
  if (has_varkw || later_params.find(keyword) != later_params.end()) return true;
  for (const std::string& param : params) {
    if (param == keyword) return true;
  }
  return false;
}

const Signature* TorchDistributedSignature(std::string_view canonical_name) {
  const SignatureTable& table = TorchSignatures();
  auto it = table.find(std::string(canonical_name));
  return it == table.end() ? nullptr : &it->second;
}

std::string TorchDistributedCallee(const RuleContext& context, TSNode call) {
  const std::string qualified = context.semantic().QualifiedName(Field(call, "function"));
  if (!qualified.starts_with("torch.distributed.")) return {};
  return SemanticModel::Canonicalize(qualified);
}

Signature DefinitionSignature(const RuleContext& context, TSNode definition) {
  const Symbols& sym = context.symbols();
  Signature signature;
  bool keyword_only = false;
  for (TSNode param : NamedChildren(Field(definition, "parameters"))) {
    const std::string_view kind = ts_node_type(param);
    if (kind == "list_splat_pattern" || (Is(param, sym.typed_parameter) &&
                                         std::string_view(ts_node_type(ts_node_named_child(param, 0))) ==
                                             "list_splat_pattern")) {
      signature.has_varargs = true;
      keyword_only = true;
      continue;
    }
    if (kind == "dictionary_splat_pattern" ||
        (Is(param, sym.typed_parameter) &&
         std::string_view(ts_node_type(ts_node_named_child(param, 0))) == "dictionary_splat_pattern")) {
      signature.has_varkw = true;
      continue;
    }
    if (kind == "keyword_separator") {
      keyword_only = true;
      continue;
    }
    const std::string_view name = ParameterName(context, param);
    if (name.empty()) continue;
    signature.params.emplace_back(name);
    if (!keyword_only) ++signature.max_positional;
  }
  return signature;
}

TSNode CalledModuleFunction(const RuleContext& context, TSNode call) {
  const Symbols& sym = context.symbols();
  TSNode function = Field(call, "function");
  if (!Is(function, sym.identifier)) return TSNode{};
  // An imported name runs the imported function, not a definition of this file.
  if (!context.semantic().QualifiedName(function).empty()) return TSNode{};
  const std::string_view name = context.Text(function);
  const TSNode found = context.semantic().SoleModuleFunction(name);
  if (ts_node_is_null(found)) return TSNode{};
  if (BoundInEnclosingFunction(context, call, name)) return TSNode{};
  return found;
}

}  // namespace distlint

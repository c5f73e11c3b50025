// Parameter lists of called functions, for rules about the arguments of a
// call: the torch.distributed functions of rules/data/
// torch_distributed_signatures.json, and Python functions defined in the
// checked file.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"

namespace distlint {

struct Signature {
  // Parameter names in declaration order, keyword-only ones included.
  std::vector<std::string> params;
  // Parameters added after torch 1.13, with the first release that has them.
  std::map<std::string, std::string, std::less<>> later_params;
  // How many arguments may be passed by position, when there is no *args.
  size_t max_positional = 0;
  bool has_varargs = false;  // *args
  bool has_varkw = false;    // **kwargs

  bool Accepts(std::string_view keyword) const;
};

// The signature of a torch.distributed function by canonical name
// ("torch.distributed.barrier"), or nullptr when the table does not list it.
const Signature* TorchDistributedSignature(std::string_view canonical_name);

// The canonical torch.distributed name that `call` calls, or empty. Calls
// through `deepspeed.comm` are not included, because its wrappers take extra
// parameters.
std::string TorchDistributedCallee(const RuleContext& context, TSNode call);

// The signature of a function_definition.
Signature DefinitionSignature(const RuleContext& context, TSNode definition);

// The module-level function that a call of a plain name runs (`helper(x)`),
// or a null node. The file must define the name once with an undecorated
// `def` and bind it nowhere else, so that this definition is what runs.
// Other bindings are a module-level assignment or class, an import, and a
// parameter, assignment or nested definition in the enclosing function.
TSNode CalledModuleFunction(const RuleContext& context, TSNode call);

}  // namespace distlint

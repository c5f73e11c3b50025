#include "analyzer/cli.h"

#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "analyzer/analyzer.h"
#include "analyzer/baseline.h"
#include "analyzer/changed_lines.h"
#include "analyzer/ci_output.h"
#include "analyzer/discovery.h"
#include "analyzer/driver.h"
#include "analyzer/eval.h"
#include "analyzer/fingerprint.h"
#include "analyzer/fix_engine.h"
#include "analyzer/merge.h"
#include "analyzer/output.h"
#include "analyzer/sarif.h"
#include "analyzer/settings.h"
#include "analyzer/shard.h"

namespace distlint {
namespace {

constexpr const char* kUsage = R"(Usage: distlint <command> [options] [PATH...]

Commands:
  check [PATH...]   Report bug patterns in Python files (default: the current folder)
  fix [PATH...]     Apply fixes to the files
  rules             List the rules
  rule CODE         Print the documentation of one rule (by code or name)
  merge FILE...     Merge the JSON or SARIF output of `check --shard` runs into one document
  eval [CORPUS]     Measure the rules on a bug corpus (see 'distlint eval --help')
  version           Print the version

Options for check and fix:
  --select CODES        Run only these rules: comma-separated codes, prefixes or names (repeatable)
  --ignore CODES        Skip these rules (repeatable); the longest match wins, ignore wins ties
  --extend-select CODES Also run these rules, on top of the configured selection (repeatable)
  --target-torch SPEC   torch versions the project supports, e.g. ">=1.13" or ">=2.1,<2.5"
                        (default: the configuration's target-torch, else the project's torch
                        requirement, else >=1.13)
  --config FILE         Read the settings of every file from FILE (a distlint.toml or a
                        pyproject.toml) instead of the nearest configuration file
  --isolated            Read no configuration or dependency file
  --force-exclude       Apply the configured exclude globs to paths named on the command line too
  -j, --jobs N          Worker threads (default: one per core)
  --format FORMAT       text (default) or json; check also takes sarif, github
                        (GitHub Actions annotations) and junit (JUnit XML)
  --statistics          Print the number of findings per rule instead of each finding
  --color WHEN          auto (default: on a terminal), always or never
  -q, --quiet           No progress line and no summary
  --exit-zero           Exit with 0 even when there are findings

Options for check in CI (docs/ci.md):
  --write-baseline FILE Record the current findings in FILE and exit
  --baseline FILE       Report only findings that FILE does not record
  --diff-base REF       Report only findings on lines changed since the git REF,
                        including uncommitted and untracked files
  --shard I/N           Check only shard I of N (1-based) of the files

Options for fix:
  --unsafe-fixes        Also apply fixes that may change behaviour
  --no-unsafe-fixes     Apply only safe fixes, even where the configuration sets unsafe-fixes
  --diff                Print a unified diff of the fixes and write nothing

Exit status: 0 no findings; 1 findings (or files that failed to parse);
2 usage error or a file that cannot be read or written.
)";

struct Options {
  std::string command;
  std::vector<std::string> paths;
  RuleSelection selection;
  AnalysisOptions analysis;
  int jobs = 0;
  std::string format = "text";
  std::string color = "auto";
  bool statistics = false;
  bool quiet = false;
  bool exit_zero = false;
  bool unsafe_fixes = false;
  bool diff = false;
  std::string write_baseline;
  std::string baseline;
  std::string diff_base;
  std::optional<Shard> shard;
  CommandLineSettings settings;  // Settings that override the configuration files.
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void SplitCodes(const std::string& value, std::vector<std::string>& into) {
  std::stringstream stream(value);
  std::string item;
  while (std::getline(stream, item, ',')) {
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) into.push_back(item);
  }
}

// Rejects combinations of the CI options that have no sensible meaning.
void ValidateCiOptions(const Options& options) {
  const bool ci_option = !options.write_baseline.empty() || !options.baseline.empty() || !options.diff_base.empty() ||
                         options.shard.has_value();
  if (ci_option && options.command != "check") {
    throw UsageError("--write-baseline, --baseline, --diff-base and --shard apply to 'distlint check' only");
  }
  const bool ci_format = options.format == "sarif" || options.format == "github" || options.format == "junit";
  if (ci_format && options.command != "check") {
    throw UsageError("--format " + options.format + " applies to 'distlint check' only; fix takes text or json");
  }
  if (ci_format && options.statistics) {
    throw UsageError("--statistics prints text or json only, not " + options.format);
  }
  if (!options.write_baseline.empty() &&
      (!options.baseline.empty() || !options.diff_base.empty() || options.shard.has_value())) {
    throw UsageError("--write-baseline records every finding, so it cannot be combined with --baseline, "
                     "--diff-base or --shard");
  }
}

Options ParseArguments(const std::vector<std::string>& arguments) {
  Options options;
  size_t i = 0;
  if (i < arguments.size() && arguments[i].rfind("-", 0) != 0) options.command = arguments[i++];

  auto value_of = [&](const std::string& flag, const std::string& argument) -> std::string {
    const std::string prefix = flag + "=";
    if (argument.rfind(prefix, 0) == 0) return argument.substr(prefix.size());
    if (i + 1 >= arguments.size()) throw UsageError("option " + flag + " needs a value");
    return arguments[++i];
  };
  auto is = [](const std::string& argument, const std::string& flag) {
    return argument == flag || argument.rfind(flag + "=", 0) == 0;
  };

  bool only_paths = false;
  for (; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (only_paths || argument.empty() || argument[0] != '-' || argument == "-") {
      options.paths.push_back(argument);
    } else if (argument == "--") {
      only_paths = true;
    } else if (argument == "-h" || argument == "--help") {
      options.command = "help";
    } else if (argument == "--version") {
      options.command = "version";
    } else if (is(argument, "--select")) {
      SplitCodes(value_of("--select", argument), options.selection.select);
      options.settings.select = options.selection.select;
    } else if (is(argument, "--extend-select")) {
      SplitCodes(value_of("--extend-select", argument), options.settings.extend_select);
    } else if (is(argument, "--ignore")) {
      SplitCodes(value_of("--ignore", argument), options.selection.ignore);
      options.settings.ignore = options.selection.ignore;
    } else if (is(argument, "--config")) {
      options.settings.config_file = value_of("--config", argument);
    } else if (argument == "--isolated") {
      options.settings.isolated = true;
    } else if (argument == "--force-exclude") {
      options.settings.force_exclude = true;
    } else if (is(argument, "--target-torch")) {
      std::string error;
      const std::string spec = value_of("--target-torch", argument);
      auto range = TorchVersionRange::Parse(spec, &error);
      if (!range) throw UsageError("--target-torch: " + error);
      options.analysis.target_torch = *range;
      options.settings.target_torch = *range;
    } else if (argument == "-j" || is(argument, "--jobs") || (argument.rfind("-j", 0) == 0 && argument.size() > 2)) {
      std::string value = argument.rfind("-j", 0) == 0 && argument.size() > 2 && argument[2] != '-'
                              ? argument.substr(2)
                              : value_of(argument == "-j" ? "-j" : "--jobs", argument);
      char* end = nullptr;
      const long jobs = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || jobs < 1 || jobs > 1024) {
        throw UsageError("invalid number of jobs '" + value + "'; expected a whole number from 1 to 1024");
      }
      options.jobs = static_cast<int>(jobs);
    } else if (is(argument, "--format")) {
      options.format = value_of("--format", argument);
      if (options.format != "text" && options.format != "json" && options.format != "sarif" &&
          options.format != "github" && options.format != "junit") {
        throw UsageError("invalid --format '" + options.format + "'; expected text, json, sarif, github or junit");
      }
    } else if (is(argument, "--color")) {
      options.color = value_of("--color", argument);
      if (options.color != "auto" && options.color != "always" && options.color != "never") {
        throw UsageError("invalid --color '" + options.color + "'; expected auto, always or never");
      }
    } else if (argument == "--statistics") {
      options.statistics = true;
    } else if (argument == "-q" || argument == "--quiet") {
      options.quiet = true;
    } else if (argument == "--exit-zero") {
      options.exit_zero = true;
    } else if (argument == "--unsafe-fixes") {
      options.unsafe_fixes = true;
      options.settings.unsafe_fixes = true;
    } else if (argument == "--no-unsafe-fixes") {
      options.settings.unsafe_fixes = false;
    } else if (argument == "--diff") {
      options.diff = true;
    } else if (is(argument, "--write-baseline")) {
      options.write_baseline = value_of("--write-baseline", argument);
    } else if (is(argument, "--baseline")) {
      options.baseline = value_of("--baseline", argument);
    } else if (is(argument, "--diff-base")) {
      options.diff_base = value_of("--diff-base", argument);
    } else if (is(argument, "--shard")) {
      std::string error;
      options.shard = ParseShard(value_of("--shard", argument), &error);
      if (!options.shard) throw UsageError(error);
    } else {
      throw UsageError("unknown option '" + argument + "'; run 'distlint --help' for the list");
    }
  }
  if (options.command.empty()) options.command = "help";
  if ((options.unsafe_fixes || options.diff) && options.command != "fix") {
    throw UsageError("--unsafe-fixes and --diff apply to 'distlint fix' only");
  }
  ValidateCiOptions(options);
  return options;
}

bool UseColor(const Options& options, int fd) {
  if (options.color == "always") return true;
  if (options.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(fd) && !(no_color && *no_color);
}

int ListRules(std::ostream& out) {
  for (const Rule* rule : RuleRegistry::Instance().rules()) {
    const RuleInfo& info = rule->info();
    out << info.code << '\t' << info.name << '\t' << FamilyName(info.family) << '\t'
        << (info.fix == FixAvailability::kNone ? "   " : "fix") << '\t' << info.summary
        << (info.enabled_by_default ? "" : " (opt-in)") << '\n';
  }
  return kExitClean;
}

int ShowRule(const Options& options, std::ostream& out, std::ostream& err) {
  if (options.paths.size() != 1) {
    err << "distlint: error: 'distlint rule' takes one rule code or name, e.g. 'distlint rule COM001'\n";
    return kExitError;
  }
  const Rule* rule = RuleRegistry::Instance().Find(options.paths.front());
  if (!rule) {
    err << "distlint: error: no rule '" << options.paths.front() << "'; 'distlint rules' lists them\n";
    return kExitError;
  }
  const RuleInfo& info = rule->info();
  out << "# " << info.code << " " << info.name << "\n\n"
      << "Family: " << FamilyName(info.family) << ". Fix strategy: " << FixStrategyName(info.strategy)
      << ". Automatic fix: " << FixAvailabilityName(info.fix) << ".\n\n"
      << info.doc;
  return kExitClean;
}

bool ValidateSelection(const Options& options, std::ostream& err) {
  if (auto unknown = options.selection.FirstUnknown()) {
    err << "distlint: error: '" << *unknown
        << "' in --select or --ignore matches no rule code, prefix or name; 'distlint rules' lists them\n";
    return false;
  }
  if (auto unknown = RuleSelection{options.settings.extend_select, {}}.FirstUnknown()) {
    err << "distlint: error: '" << *unknown
        << "' in --extend-select matches no rule code, prefix or name; 'distlint rules' lists them\n";
    return false;
  }
  if (options.settings.config_file && options.settings.isolated) {
    err << "distlint: error: --config and --isolated contradict each other; pass one of them\n";
    return false;
  }
  return true;
}

// The analyzer of each file, from the settings that apply to it.
std::vector<const Analyzer*> AnalyzersFor(SettingsResolver& resolver, const std::vector<std::string>& files) {
  std::vector<const Analyzer*> analyzers;
  analyzers.reserve(files.size());
  for (const std::string& file : files) analyzers.push_back(&resolver.AnalyzerFor(file));
  return analyzers;
}

// Discovers the files, or reports the paths that do not exist.
bool Discover(const Options& options, SettingsResolver& resolver, std::vector<std::string>& files,
              std::ostream& err) {
  std::vector<std::string> paths = options.paths;
  if (paths.empty()) paths.push_back(".");
  DiscoveryResult discovery = DiscoverFiles(paths, resolver.Discovery());
  for (const std::string& error : discovery.errors) err << "distlint: error: " << error << '\n';
  files = std::move(discovery.files);
  return discovery.errors.empty();
}

// Writes the baseline file for `check --write-baseline` and returns the exit status.
int WriteBaselineFile(const Options& options, const std::vector<FileResult>& results, const PathMapper& paths,
                      bool paths_ok, std::ostream& err) {
  WriteErrors(err, results, UseColor(options, STDERR_FILENO));
  std::string error;
  if (!WriteFileAtomically(options.write_baseline, BaselineDocument(results, paths), &error)) {
    err << "distlint: error: cannot write the baseline: " << error << '\n';
    return kExitError;
  }
  // The file is meant to be committed, so make it readable like a source
  // file instead of keeping the private mode of the temporary file.
  std::error_code mode_error;
  std::filesystem::permissions(options.write_baseline,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                   std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                               mode_error);
  size_t findings = 0;
  bool io_error = !paths_ok;
  for (const FileResult& result : results) {
    findings += result.diagnostics.size();
    io_error = io_error || result.io_error;
  }
  if (!options.quiet) {
    err << "distlint: recorded " << findings << (findings == 1 ? " finding" : " findings") << " in "
        << options.write_baseline << '\n';
  }
  return io_error ? kExitError : kExitClean;
}

// Loads the baseline and the changed lines that `check` filters with, before
// any file is analysed, so a bad baseline or git ref fails fast.
bool LoadFilters(const Options& options, const PathMapper& paths, std::optional<Baseline>& baseline,
                 std::optional<ChangedLines>& changed, std::ostream& err) {
  std::string error;
  if (!options.baseline.empty()) {
    baseline = LoadBaseline(options.baseline, &error);
    if (!baseline) {
      err << "distlint: error: " << error << '\n';
      return false;
    }
  }
  if (!options.diff_base.empty()) {
    changed = LoadChangedLines(options.diff_base, paths, &error);
    if (!changed) {
      err << "distlint: error: " << error << '\n';
      return false;
    }
  }
  return true;
}

int RunCheck(const Options& options, std::ostream& out, std::ostream& err) {
  if (!ValidateSelection(options, err)) return kExitError;
  const PathMapper paths = PathMapper::ForWorkingDirectory();
  std::optional<Baseline> baseline;
  std::optional<ChangedLines> changed;
  if (!LoadFilters(options, paths, baseline, changed, err)) return kExitError;

  SettingsResolver resolver(options.settings);
  std::vector<std::string> files;
  const bool paths_ok = Discover(options, resolver, files, err);
  RunOptions run;
  if (options.shard) {
    run.index_files = files;
    files = SelectShard(files, *options.shard, paths);
  }
  const std::vector<const Analyzer*> analyzers = AnalyzersFor(resolver, files);
  run.jobs = options.jobs;
  run.show_progress = !options.quiet && ::isatty(STDERR_FILENO);
  std::vector<FileResult> results = AnalyzeFiles(analyzers, files, run);
  AssignFingerprints(results, paths);
  if (!options.write_baseline.empty()) return WriteBaselineFile(options, results, paths, paths_ok, err);

  if (baseline) {
    const BaselineMatch match = ApplyBaseline(results, *baseline, paths);
    if (!options.quiet && match.suppressed > 0) {
      err << "distlint: " << match.suppressed << (match.suppressed == 1 ? " finding" : " findings")
          << " recorded in " << options.baseline << " not reported\n";
    }
    if (!options.quiet && match.stale > 0) {
      err << "distlint: " << match.stale << (match.stale == 1 ? " entry" : " entries") << " of " << options.baseline
          << " matched no finding (fixed or changed); run --write-baseline again to drop them\n";
    }
  }
  if (changed) {
    const size_t removed = KeepChangedFindings(results, *changed, paths);
    if (!options.quiet && removed > 0) {
      err << "distlint: " << removed << (removed == 1 ? " finding" : " findings") << " on lines unchanged since "
          << options.diff_base << " not reported\n";
    }
  }

  const bool json = options.format == "json";
  WriteErrors(err, results, UseColor(options, STDERR_FILENO));
  if (options.statistics) {
    WriteStatistics(out, results, json);
  } else if (json) {
    WriteJson(out, results, files.size());
  } else if (options.format == "sarif") {
    WriteSarif(out, results, paths);
  } else if (options.format == "github") {
    WriteGithubAnnotations(out, results, paths);
  } else if (options.format == "junit") {
    WriteJunit(out, results, paths);
  } else {
    TextStyle style;
    style.color = UseColor(options, STDOUT_FILENO);
    style.summary = !options.quiet;
    WriteText(out, results, style);
  }

  bool io_error = !paths_ok;
  bool findings = false;
  for (const FileResult& result : results) {
    io_error = io_error || result.io_error;
    findings = findings || !result.diagnostics.empty() || (result.error && !result.io_error);
  }
  if (io_error) return kExitError;
  if (findings && !options.exit_zero) return kExitFindings;
  return kExitClean;
}

int RunFix(const Options& options, std::ostream& out, std::ostream& err) {
  if (!ValidateSelection(options, err)) return kExitError;
  SettingsResolver resolver(options.settings);
  std::vector<std::string> files;
  const bool paths_ok = Discover(options, resolver, files, err);
  const std::vector<const Analyzer*> analyzers = AnalyzersFor(resolver, files);

  struct FileFix {
    FileResult result;
    std::string diff;
    std::string write_error;
    FixOutcome outcome;
  };
  std::vector<FileFix> fixes(files.size());
  RunParallel(files.size(), options.jobs, [&](size_t index, PythonParser& parser) {
    FileFix& fix = fixes[index];
    const Analyzer& analyzer = *analyzers[index];
    fix.result.path = files[index];
    std::string error;
    auto bytes = ReadFileBytes(files[index], &error);
    if (!bytes) {
      fix.result.error = error, fix.result.io_error = true;
      return;
    }
    auto source = SourceFile::FromBytes(files[index], std::move(*bytes), &error);
    if (!source) {
      fix.result.error = error;
      return;
    }
    fix.outcome = FixSource(analyzer, *source, parser, analyzer.policy().unsafe_fixes);
    if (!fix.outcome.changed) {
      // Report the original text's findings and syntax errors as `check` would.
      SourceAnalysis analysis = analyzer.AnalyzeSource(*source, parser);
      if (analysis.syntax_error) {
        const Position position = source->PositionOf(analysis.syntax_error->offset);
        fix.result.error = "syntax error at line " + std::to_string(position.line) + ", column " +
                           std::to_string(position.column) + ": " + analysis.syntax_error->message;
        return;
      }
    }
    fix.result.diagnostics = fix.outcome.remaining;
    fix.result.source = std::make_shared<const SourceFile>(*source);
    if (fix.outcome.changed) {
      std::string error_text;
      auto fixed = SourceFile::FromBytes(files[index], source->ToBytes(fix.outcome.text), &error_text);
      if (fixed) fix.result.source = std::make_shared<const SourceFile>(std::move(*fixed));
      if (options.diff) {
        fix.diff = UnifiedDiff(files[index], source->text(), fix.outcome.text);
      } else if (!WriteFileAtomically(files[index], source->ToBytes(fix.outcome.text), &fix.write_error)) {
        // The file keeps its original text, so report that text's findings.
        fix.result.io_error = true;
        fix.result.diagnostics = analyzer.AnalyzeSource(*source, parser).diagnostics;
        fix.result.source = std::make_shared<const SourceFile>(*source);
      }
    }
  });

  std::vector<FileResult> results;
  int applied = 0;
  int files_changed = 0;
  bool io_error = !paths_ok;
  for (FileFix& fix : fixes) {
    for (const DroppedFix& dropped : fix.outcome.dropped) {
      err << fix.result.path << ':' << dropped.position.line << ':' << dropped.position.column << ": " << dropped.code
          << " fix '" << dropped.title << "' not applied: " << dropped.reason << '\n';
    }
    if (fix.outcome.hit_pass_limit) {
      err << fix.result.path << ": fixes did not settle after 10 passes; the file may need another run\n";
    }
    if (!fix.write_error.empty()) err << "distlint: error: " << fix.write_error << '\n';
    if (options.diff) out << fix.diff;
    if (fix.write_error.empty()) {
      applied += fix.outcome.applied;
      files_changed += fix.outcome.changed ? 1 : 0;
    }
    io_error = io_error || fix.result.io_error;
    results.push_back(std::move(fix.result));
  }
  std::sort(results.begin(), results.end(), [](const FileResult& a, const FileResult& b) { return a.path < b.path; });

  WriteErrors(err, results, UseColor(options, STDERR_FILENO));
  bool remaining = false;
  for (const FileResult& result : results) remaining = remaining || !result.diagnostics.empty() || result.error;
  if (!options.diff) {
    if (options.format == "json") {
      WriteJson(out, results, files.size());
    } else if (!options.quiet) {
      TextStyle style;
      style.color = UseColor(options, STDOUT_FILENO);
      style.unsafe_fixes = options.unsafe_fixes;
      WriteText(out, results, style);
    }
  }
  if (!options.quiet) {
    err << (options.diff ? "Would apply " : "Applied ") << applied << (applied == 1 ? " fix" : " fixes") << " in "
        << files_changed << (files_changed == 1 ? " file" : " files") << ".\n";
  }

  if (io_error) return kExitError;
  if (options.exit_zero) return kExitClean;
  if (options.diff) return applied > 0 ? kExitFindings : (remaining ? kExitFindings : kExitClean);
  return remaining ? kExitFindings : kExitClean;
}

}  // namespace

std::string RulesMarkdown() {
  std::ostringstream out;
  out << "# Rules\n\n"
      << "Generated by `distlint rules --markdown` from each rule's documentation; do not edit by hand.\n\n"
      << "| Code | Name | Family | Fix strategy | Automatic fix | Summary |\n"
      << "|---|---|---|---|---|---|\n";
  for (const Rule* rule : RuleRegistry::Instance().rules()) {
    const RuleInfo& info = rule->info();
    out << "| [" << info.code << "](#" << info.code << ") | " << info.name << " | " << FamilyName(info.family)
        << " | " << FixStrategyName(info.strategy) << " | " << FixAvailabilityName(info.fix) << " | "
        << info.summary << (info.enabled_by_default ? "" : " (opt-in)") << " |\n";
  }
  for (const Rule* rule : RuleRegistry::Instance().rules()) {
    const RuleInfo& info = rule->info();
    out << "\n<a id=\"" << info.code << "\"></a>\n\n# " << info.code << " " << info.name << "\n\n"
        << "Family: " << FamilyName(info.family) << ". Fix strategy: " << FixStrategyName(info.strategy)
        << ". Automatic fix: " << FixAvailabilityName(info.fix) << ".\n\n";
    std::string doc(info.doc);
    // Rule sections are one level below the rule's heading.
    std::string shifted;
    std::istringstream lines(doc);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("## ", 0) == 0) line = "#" + line;
      shifted += line + "\n";
    }
    out << shifted;
  }
  return out.str();
}

int RunCli(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
  try {
    if (!arguments.empty() && arguments[0] == "eval") {
      return RunEval(std::vector<std::string>(arguments.begin() + 1, arguments.end()), out, err);
    }
    if (!arguments.empty() && arguments[0] == "rules" && arguments.size() == 2 && arguments[1] == "--markdown") {
      out << RulesMarkdown();
      return kExitClean;
    }
    Options options = ParseArguments(arguments);
    if (options.command == "help") {
      out << kUsage;
      return kExitClean;
    }
    if (options.command == "version") {
      out << "distlint " << DistlintVersion() << '\n';
      return kExitClean;
    }
    if (options.command == "rules") return ListRules(out);
    if (options.command == "rule") return ShowRule(options, out, err);
    if (options.command == "check") return RunCheck(options, out, err);
    if (options.command == "fix") return RunFix(options, out, err);
    if (options.command == "merge") return MergeReports(options.paths, out, err);
    err << "distlint: error: unknown command '" << options.command
        << "'; expected check, fix, merge, rules, rule or version\n";
    return kExitError;
  } catch (const UsageError& error) {
    err << "distlint: error: " << error.what() << '\n';
    return kExitError;
  } catch (const ConfigError& error) {
    err << "distlint: error: " << error.what() << '\n';
    return kExitError;
  } catch (const std::exception& error) {
    err << "distlint: internal error: " << error.what() << '\n';
    return kExitError;
  }
}

}  // namespace distlint

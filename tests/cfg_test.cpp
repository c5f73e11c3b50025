// Control-flow graph, dominance and post-dominance on small functions.
#include "analyzer/cfg.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace distlint {
namespace {

// Parses `source`, builds the graph of its first function, and looks up
// statements by their text.
class CfgFixture {
 public:
  explicit CfgFixture(std::string source, CfgOptions options = {}) : source_(std::move(source)) {
    tree_ = parser_.Parse(source_);
    TSNode function{};
    Walk(tree_.root(), [&](TSNode node) {
      if (ts_node_is_null(function) && Is(node, Symbols::Get().function_definition)) function = node;
      return ts_node_is_null(function);
    });
    graph_ = ControlFlowGraph::Build(ts_node_is_null(function) ? tree_.root() : function, source_, nullptr,
                                     options);
  }

  // The block of the first node whose text is exactly `text`.
  int Block(std::string_view text) const {
    int found = ControlFlowGraph::kNone;
    Walk(tree_.root(), [&](TSNode node) {
      if (found != ControlFlowGraph::kNone) return false;
      if (NodeText(node, source_) == text) found = graph_.BlockOf(node);
      return true;
    });
    return found;
  }

  const ControlFlowGraph& graph() const { return graph_; }

 private:
  std::string source_;
  PythonParser parser_;
  SyntaxTree tree_;
  ControlFlowGraph graph_;
};

TEST(Cfg, StraightLineIsOneBlock) {
  CfgFixture cfg("def f():\n    a()\n    b()\n");
  EXPECT_EQ(cfg.Block("a()"), cfg.Block("b()"));
  EXPECT_EQ(cfg.Block("a()"), ControlFlowGraph::kEntry);
}

TEST(Cfg, IfElseJoinPostDominatesCondition) {
  CfgFixture cfg("def f(x):\n    if x:\n        a()\n    else:\n        b()\n    c()\n");
  const int condition = cfg.Block("x");
  ASSERT_NE(condition, ControlFlowGraph::kNone);
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("c()"), condition));
  EXPECT_FALSE(cfg.graph().PostDominates(cfg.Block("a()"), condition));
  EXPECT_TRUE(cfg.graph().Dominates(condition, cfg.Block("b()")));
  EXPECT_FALSE(cfg.graph().Dominates(cfg.Block("a()"), cfg.Block("c()")));
}

TEST(Cfg, EarlyReturnBreaksPostDominance) {
  CfgFixture cfg("def f(rank):\n    if rank != 0:\n        return\n    barrier()\n");
  const int condition = cfg.Block("rank != 0");
  const int barrier = cfg.Block("barrier()");
  EXPECT_FALSE(cfg.graph().PostDominates(barrier, condition));
  const std::vector<int> parents = cfg.graph().ControlDependencies(barrier);
  EXPECT_NE(std::find(parents.begin(), parents.end(), condition), parents.end());
}

TEST(Cfg, RaiseAndExitCallsLeaveFunction) {
  CfgFixture raise_cfg("def f(x):\n    if x:\n        raise ValueError()\n    barrier()\n");
  EXPECT_FALSE(raise_cfg.graph().PostDominates(raise_cfg.Block("barrier()"), raise_cfg.Block("x")));
  CfgFixture exit_cfg("import sys\ndef f(x):\n    if x:\n        sys.exit(1)\n    barrier()\n");
  EXPECT_FALSE(exit_cfg.graph().PostDominates(exit_cfg.Block("barrier()"), exit_cfg.Block("x")));
}

TEST(Cfg, LoopContinueMakesRestDependent) {
  CfgFixture cfg("def f(items, rank):\n    for i in items:\n        if rank:\n            continue\n"
                 "        barrier()\n    done()\n");
  const int barrier = cfg.Block("barrier()");
  const std::vector<int> parents = cfg.graph().ControlDependencies(barrier);
  EXPECT_NE(std::find(parents.begin(), parents.end(), cfg.Block("rank")), parents.end());
  EXPECT_NE(std::find(parents.begin(), parents.end(), cfg.Block("items")), parents.end());
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("done()"), cfg.Block("items")));
}

TEST(Cfg, BreakSkipsLoopElse) {
  CfgFixture cfg("def f(items):\n    for i in items:\n        if i:\n            break\n    else:\n"
                 "        a()\n    b()\n");
  EXPECT_FALSE(cfg.graph().PostDominates(cfg.Block("a()"), cfg.Block("items")));
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("b()"), cfg.Block("items")));
}

TEST(Cfg, WhileTrueWithoutBreakNeverExits) {
  CfgFixture cfg("def f():\n    while True:\n        a()\n    b()\n");
  EXPECT_FALSE(cfg.graph().Reachable(cfg.Block("b()")));
  EXPECT_FALSE(cfg.graph().PostDominates(ControlFlowGraph::kExit, cfg.Block("a()")));
}

TEST(Cfg, TryBodyMayJumpToHandler) {
  CfgFixture cfg("def f():\n    try:\n        a()\n        b()\n    except E:\n        h()\n    else:\n"
                 "        e()\n    finally:\n        z()\n    after()\n");
  EXPECT_FALSE(cfg.graph().PostDominates(cfg.Block("e()"), cfg.Block("a()")));
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("z()"), cfg.Block("a()")));
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("after()"), cfg.Block("h()")));
  EXPECT_TRUE(cfg.graph().Reachable(cfg.Block("h()")));
}

TEST(Cfg, RaiseInsideTryGoesToHandler) {
  CfgFixture cfg("def f(x):\n    try:\n        if x:\n            raise E()\n    except E:\n        h()\n"
                 "    after()\n");
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("after()"), cfg.Block("x")));
}

TEST(Cfg, MatchWithoutWildcardCanFallThrough) {
  CfgFixture cfg("def f(x):\n    match x:\n        case 1:\n            a()\n        case _:\n"
                 "            b()\n    c()\n");
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("c()"), cfg.Block("x")));
  EXPECT_FALSE(cfg.graph().PostDominates(cfg.Block("a()"), cfg.Block("x")));
  EXPECT_NE(cfg.Block("a()"), cfg.Block("b()"));
}

TEST(Cfg, AssertMayLeaveFunction) {
  CfgFixture cfg("def f(x):\n    a()\n    assert x\n    b()\n");
  EXPECT_FALSE(cfg.graph().PostDominates(cfg.Block("b()"), cfg.Block("a()")));
}

TEST(Cfg, AssertWithoutExitEdgeFallsThrough) {
  CfgFixture cfg("def f(x):\n    a()\n    assert x\n    b()\n", CfgOptions{.assert_exits = false});
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("b()"), cfg.Block("a()")));
  EXPECT_EQ(cfg.Block("a()"), cfg.Block("b()"));
}

TEST(Cfg, UncaughtRaiseFallsThroughWhenFatal) {
  const std::string source = "def f(x):\n    if x:\n        raise ValueError()\n    b()\n";
  CfgFixture leaving(source);
  EXPECT_FALSE(leaving.graph().PostDominates(leaving.Block("b()"), leaving.Block("x")));
  CfgFixture fatal(source, CfgOptions{.uncaught_raise_exits = false});
  EXPECT_TRUE(fatal.graph().PostDominates(fatal.Block("b()"), fatal.Block("x")));
}

TEST(Cfg, HandledRaiseStillLeavesWhenFatal) {
  CfgFixture cfg(
      "def f(x):\n    try:\n        if x:\n            raise ValueError()\n        b()\n"
      "    except ValueError:\n        return\n    c()\n",
      CfgOptions{.uncaught_raise_exits = false});
  const std::vector<int>& successors = cfg.graph().blocks()[cfg.Block("raise ValueError()")].successors;
  EXPECT_EQ(std::find(successors.begin(), successors.end(), cfg.Block("b()")), successors.end());
}

TEST(Cfg, RaiseInHandlerIsUncaught) {
  CfgFixture cfg(
      "def f(x):\n    try:\n        a()\n    except OSError:\n        raise\n    c()\n",
      CfgOptions{.uncaught_raise_exits = false});
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("c()"), cfg.Block("a()")));
}

TEST(Cfg, TryFinallyBodyFallsThroughWhenFatal) {
  const std::string source =
      "def f(x):\n    try:\n        if x:\n            a()\n        b()\n    finally:\n        c()\n";
  CfgFixture leaving(source);
  EXPECT_FALSE(leaving.graph().PostDominates(leaving.Block("b()"), leaving.Block("x")));
  CfgFixture fatal(source, CfgOptions{.uncaught_raise_exits = false});
  EXPECT_TRUE(fatal.graph().PostDominates(fatal.Block("b()"), fatal.Block("x")));
}

TEST(Cfg, WithBodyStaysInBlock) {
  CfgFixture cfg("def f():\n    with ctx():\n        a()\n    b()\n");
  EXPECT_EQ(cfg.Block("a()"), cfg.Block("b()"));
}

TEST(Cfg, CodeAfterReturnIsUnreachable) {
  CfgFixture cfg("def f():\n    return\n    a()\n");
  ASSERT_NE(cfg.Block("a()"), ControlFlowGraph::kNone);
  EXPECT_FALSE(cfg.graph().Reachable(cfg.Block("a()")));
}

TEST(Cfg, ElifChainBranchesFromEachCondition) {
  CfgFixture cfg("def f(x, y):\n    if x:\n        a()\n    elif y:\n        b()\n    c()\n");
  EXPECT_TRUE(cfg.graph().Dominates(cfg.Block("x"), cfg.Block("y")));
  EXPECT_TRUE(cfg.graph().PostDominates(cfg.Block("c()"), cfg.Block("y")));
  const std::vector<int> parents = cfg.graph().ControlDependencies(cfg.Block("b()"));
  EXPECT_NE(std::find(parents.begin(), parents.end(), cfg.Block("x")), parents.end());
}

}  // namespace
}  // namespace distlint

#!/usr/bin/env bash
# Checks that distlint's SARIF output is valid SARIF 2.1.0, and that the
# validator rejects an invalid document (so a broken validator cannot pass).
# Usage: check_schema.sh DISTLINT NODE SARIF_TEST_DIR
set -euo pipefail

distlint=$1
node=$2
here=$3
validate="$here/validate.js"

fail() {
  echo "check_schema: $*" >&2
  exit 1
}

command -v "$node" >/dev/null || fail "node is missing; install Node.js (Debian package nodejs) and run scripts/setup"
[ -d "$here/node_modules/ajv-draft-04" ] \
  || fail "the validator packages are missing in $here/node_modules; run scripts/setup (it runs npm ci there)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q .

# Findings with a fix, a related location, a multi-line range, a CRLF file,
# a BOM, a non-ASCII path and a file that fails to parse.
cat > train.py <<'PY'
import torch
import torch.distributed as dist

state = torch.load("x.pt")
if dist.get_rank() == 0:
    dist.barrier()
if torch.__version__[:3] >= "1.9":
    pass
model = torch.load(
    "y.pt",
)
PY
printf '\xef\xbb\xbfimport torch\r\nimport torch.distributed as dist\r\nx = torch.load("z")\r\n' > "crlf é.py"
printf 'import torch\ndef broken(:\n' > broken.py

"$distlint" check --exit-zero --format sarif . > full.sarif || fail "distlint check --format sarif failed"
grep -q '"ruleId": "ALC001"' full.sarif || fail "full.sarif has no ALC001 result; the fixture no longer produces findings"
grep -q '"relatedLocations"' full.sarif || fail "full.sarif has no related location"
grep -q '"fixes"' full.sarif || fail "full.sarif has no fix"
"$node" "$validate" full.sarif || fail "distlint's SARIF output is not valid SARIF 2.1.0 (errors above)"

"$distlint" check --exit-zero --format sarif --shard 1/2 . > shard-1.sarif
"$distlint" check --exit-zero --format sarif --shard 2/2 . > shard-2.sarif
"$distlint" merge shard-1.sarif shard-2.sarif > merged.sarif || fail "distlint merge failed"
"$node" "$validate" merged.sarif || fail "merged SARIF is not valid SARIF 2.1.0 (errors above)"

# A document that breaks the schema: a result level SARIF does not define.
"$node" -e '
  const fs = require("fs");
  const log = JSON.parse(fs.readFileSync("full.sarif", "utf8"));
  log.runs[0].results[0].level = "fatal";
  fs.writeFileSync("broken.sarif", JSON.stringify(log));
'
set +e
"$node" "$validate" broken.sarif 2> broken.err
status=$?
set -e
[ "$status" -eq 1 ] || fail "the validator accepted (or failed to read) a document with level \"fatal\": exit $status"
grep -q "level" broken.err || fail "the validator's error for broken.sarif does not name the level: $(cat broken.err)"

echo "check_schema: SARIF output, merged SARIF valid; invalid document rejected"

#!/usr/bin/env bash
# The repaired wheel works as a user installs it: into a new virtual environment (no system site
# packages) with `pip install --no-index` from WHEELHOUSE alone, used from a folder outside the
# repository, with its native libraries (RE2, libical, libcsv, ...) loaded from the wheel's own
# keyaccount.libs/ rather than the machine's /usr/lib.
#
# Usage: tests/packaging/test_wheel.sh WHEELHOUSE [REFERENCE_CLI]
#   WHEELHOUSE holds exactly one repaired keyaccount wheel (scripts/wheel's OUTDIR); the numpy
#   wheel it needs is downloaded into it first (the only step that needs the network).
#   REFERENCE_CLI (optional): a natively built `keyaccount` binary; the wheel's command line must
#   then print byte for byte what it prints.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
wheelhouse=$(cd "${1:?usage: test_wheel.sh WHEELHOUSE [REFERENCE_CLI]}" && pwd)
reference=${2:-}
[ -z "$reference" ] || reference=$(cd "$(dirname "$reference")" && pwd)/$(basename "$reference")
checks=0
fail() {
  echo "test_wheel: FAIL: $*" >&2
  exit 1
}
pass() {
  checks=$((checks + 1))
  echo "test_wheel: ok: $*"
}

wheels=("$wheelhouse"/keyaccount-*.whl)
[ ${#wheels[@]} = 1 ] && [ -f "${wheels[0]}" ] || fail "expected one keyaccount wheel in $wheelhouse, found: ${wheels[*]}"
wheel=${wheels[0]}
case $(basename "$wheel") in
  *manylinux_*) pass "the wheel is tagged manylinux: $(basename "$wheel")" ;;
  *) fail "$(basename "$wheel") has no manylinux tag (not repaired by auditwheel?)" ;;
esac
# auditwheel wraps its report at 72 columns: read it as one line.
shown=$(auditwheel show "$wheel" | tr '\n' ' ')
tag=$(grep -o 'following platform tag: "manylinux_[^"]*"' <<<"$shown" | cut -d'"' -f2) ||
  fail "auditwheel show names no manylinux tag: $shown"
pass "auditwheel show: consistent with $tag"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
venv_python=$tmp/venv/bin/python
grep -q 'include-system-site-packages = false' "$tmp/venv/pyvenv.cfg" || fail "the venv sees system site packages"
"$venv_python" -m pip download --quiet --only-binary :all: --dest "$wheelhouse" numpy
"$venv_python" -m pip install --quiet --no-index --only-binary :all: --find-links "$wheelhouse" keyaccount ||
  fail "pip install --no-index keyaccount from $wheelhouse"
pass "pip install --no-index --find-links $wheelhouse keyaccount"

# Everything below runs from a folder outside the repository, so nothing can come from the tree.
work=$tmp/work
mkdir "$work"
cd "$work"
cp "$repo/examples/customers.jsonl" "$repo/tests/data/invalid/01-syntax-missing-comma.json" .

package=$("$venv_python" -c 'import keyaccount, os; print(os.path.dirname(keyaccount.__file__))') ||
  fail "import keyaccount"
case $package in
  "$tmp/venv/"*) pass "import keyaccount from $package" ;;
  *) fail "keyaccount was imported from $package, not from the new venv" ;;
esac
ka=$tmp/venv/bin/keyaccount
[ -x "$ka" ] || fail "the wheel installed no keyaccount command"

"$ka" validate >validate.out 2>&1 || fail "keyaccount validate (the default policy): $(cat validate.out)"
pass "keyaccount validate exits 0"
status=0
"$ka" validate 01-syntax-missing-comma.json >invalid.out 2>&1 || status=$?
[ $status = 1 ] || fail "keyaccount validate of a broken file exited $status, not 1: $(cat invalid.out)"
grep -q '^01-syntax-missing-comma.json:[0-9]*:[0-9]*: error\[' invalid.out ||
  fail "no located error for the broken file: $(cat invalid.out)"
pass "keyaccount validate of a broken file exits 1 with a located error"

"$ka" classify --as-of 2026-06-30 customers.jsonl >classify.out 2>classify.err ||
  fail "keyaccount classify: $(cat classify.err)"
customers=$(grep -c . customers.jsonl)
decisions=$("$venv_python" - classify.out <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
tiers = {row["tier"] for row in rows}
assert tiers <= {"key", "regular"} and "key" in tiers and "regular" in tiers, tiers
print(len(rows))
EOF
) || fail "keyaccount classify printed no valid decisions: $(head -c 500 classify.out)"
[ "$decisions" = "$customers" ] || fail "keyaccount classify gave $decisions decisions for $customers customers"
pass "keyaccount classify --as-of 2026-06-30: $decisions decisions, both tiers present"

"$ka" workflow list >workflows.out 2>&1 || fail "keyaccount workflow list: $(cat workflows.out)"
grep -q 'gift_request' workflows.out || fail "keyaccount workflow list names no gift_request: $(cat workflows.out)"
"$ka" workflow graph gift_request >graph.out 2>&1 || fail "keyaccount workflow graph: $(cat graph.out)"
pass "keyaccount workflow list / graph gift_request"

if [ -n "$reference" ]; then
  for command in "classify --as-of 2026-06-30 customers.jsonl" "workflow list" "workflow graph gift_request"; do
    # shellcheck disable=SC2086 # the commands are word lists on purpose
    cmp -s <("$ka" $command 2>&1) <("$reference" $command 2>&1) ||
      fail "the wheel's 'keyaccount $command' differs from $reference's"
  done
  pass "the wheel's classify and workflow output is byte-identical to the native CLI's"
fi

# The extension resolves every library outside the manylinux policy (the C/C++ runtime) from the
# wheel's keyaccount.libs/ (auditwheel's folder), none from the system.
core=$(ls "$package"/_core*.so)
ldd "$core" >ldd.out
libs=$(cd "$package/../keyaccount.libs" 2>/dev/null && pwd) || fail "the wheel has no keyaccount.libs/ (not repaired by auditwheel?)"
vendored=0
: >vendored.txt
while read -r name arrow path _; do
  case $name in
    linux-vdso.so.* | */ld-linux*.so.* | libc.so.6 | libm.so.6 | libstdc++.so.6 | libgcc_s.so.1 | \
      libpthread.so.0 | libdl.so.2 | librt.so.1) continue ;;
  esac
  [ "$arrow" = "=>" ] || fail "ldd: unexpected line: $name $arrow $path"
  path=$(realpath "$path") || fail "ldd: $name is not found"
  case $path in
    "$libs"/*) vendored=$((vendored + 1)) && echo "$name" >>vendored.txt ;;
    *) fail "ldd: $name resolves to $path, outside the wheel's $libs" ;;
  esac
done <ldd.out
for needed in libre2 libical libcsv libcrypto; do
  grep -q "^$needed[-.]" vendored.txt || fail "ldd: $needed is not loaded from $libs: $(cat ldd.out)"
done
pass "ldd: $vendored non-system libraries, all from keyaccount.libs (RE2, libical, libcsv, libcrypto among them)"

echo "test_wheel: $checks passed, 0 failed"

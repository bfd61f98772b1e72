# Helpers for the end-to-end tests of the tsq binary. Source it; $TSQ is the binary.
set -uo pipefail

failures=0
checks=0
work=$(mktemp -d "${TMPDIR:-/tmp}/tsq-e2e.XXXXXX")
servers=()  # pids of the tsq serve processes start_serve started
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run NAME EXPECTED_EXIT CMD...: runs CMD, keeps stdout in $work/NAME.out and stderr in
# $work/NAME.err, and checks the exit status.
run() {
  local name=$1 expected=$2
  shift 2
  checks=$((checks + 1))
  local started=$EPOCHREALTIME
  "$@" >"$work/$name.out" 2>"$work/$name.err"
  local status=$?
  # TSQ_E2E_TIMES=FILE: each command's wall seconds, to find where a test spends its time.
  if [[ -n ${TSQ_E2E_TIMES:-} ]]; then
    awk -v t="$(basename "$0" .sh)" -v n="$name" -v a="$started" -v b="$EPOCHREALTIME" \
      'BEGIN { printf "%s\t%s\t%.2f\n", t, n, b - a }' >>"$TSQ_E2E_TIMES"
  fi
  if [[ $status -ne $expected ]]; then
    fail "$name: exit $status, expected $expected"
    sed 's/^/    stderr: /' "$work/$name.err" | head -20 >&2
  fi
}

# contains NAME STREAM TEXT: the output (out|err) of run NAME contains TEXT.
contains() {
  checks=$((checks + 1))
  grep -qF -- "$3" "$work/$1.$2" || fail "$1: $2 does not contain '$3'"
}

not_contains() {
  checks=$((checks + 1))
  ! grep -qF -- "$3" "$work/$1.$2" || fail "$1: $2 contains '$3'"
}

# json NAME EXPR EXPECTED: python evaluates EXPR on the JSON stdout of run NAME (as `j`).
json() {
  checks=$((checks + 1))
  local got
  got=$(python3 -c "import json,sys; j=json.load(open('$work/$1.out')); print($2)" 2>&1)
  [[ "$got" == "$3" ]] || fail "$1: $2 = '$got', expected '$3'"
}

# start_serve NAME ARGS...: starts `$TSQ serve ARGS --port 0` (loopback, a free port) in the
# background with its output in $work/NAME.out and .err; sets $url once it listens and adds its
# pid to $servers (killed at exit).
start_serve() {
  local name=$1
  shift
  "$TSQ" serve "$@" --port 0 >"$work/$name.out" 2>"$work/$name.err" &
  servers+=($!)
  url=""
  for _ in $(seq 100); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$work/$name.out" 2>/dev/null)
    [[ -n $url ]] && return 0
    sleep 0.1
  done
  fail "$name: the server did not start: $(cat "$work/$name.err")"
  return 1
}

finish() {
  local passed=$((checks - failures))
  echo "$passed passed, $failures failed"
  [[ $failures -eq 0 ]]
}

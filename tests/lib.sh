# Shared helpers for the shell tests: source it, call ok/expect_*, end with
# report. $EVMAP is the binary under test, $TMPD a scratch directory.
: "${EVMAP:?run through tests/run}"
T_PASS=0; T_FAIL=0
T_DIR=$(mktemp -d "${TMPD:-/tmp}/t.XXXXXX")
pass() { T_PASS=$((T_PASS + 1)); }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL: $*" >&2; }
# ok "what" cmd...: cmd must succeed
ok() { local d=$1; shift; if "$@" >/dev/null 2>&1; then pass; else fail "$d"; fi; }
# expect_rc N "what" cmd...: cmd must exit N; its stdout/stderr kept in
# $T_DIR/out and $T_DIR/err
expect_rc() {
    local want=$1 d=$2; shift 2
    "$@" >"$T_DIR/out" 2>"$T_DIR/err"; local rc=$?
    if [ "$rc" = "$want" ]; then pass; else
        fail "$d: exit $rc, want $want; stderr: $(head -c 300 "$T_DIR/err")"; fi
}
# grep_out / grep_err "what" REGEX: the last command's output matches
grep_out() { if grep -qE -- "$2" "$T_DIR/out"; then pass; else fail "$1: stdout lacks /$2/: $(head -c 300 "$T_DIR/out")"; fi; }
grep_err() { if grep -qE -- "$2" "$T_DIR/err"; then pass; else fail "$1: stderr lacks /$2/: $(head -c 300 "$T_DIR/err")"; fi; }
report() { echo "$T_PASS passed, $T_FAIL failed"; rm -rf "$T_DIR"; [ "$T_FAIL" = 0 ]; }

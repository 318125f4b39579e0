# The golden outputs (tests/golden/run): each case's command and its
# reviewed outputs, compared on every `make check`.
BUILD=$(basename "$(dirname "$EVMAP")")
exec bash "$EVMAP_ROOT/tests/golden/run" "$BUILD"

# Start-up: the evmap executable must not link GDAL (libgdal costs about
# 27 ms per process); GDAL is reached only through the module evmap-gdal.so,
# loaded with dlopen when a GDAL source or format is used.
. "$EVMAP_ROOT/tests/lib.sh"

if [ -x "$EVMAP" ]; then
    expect_rc 0 "ldd evmap" ldd "$EVMAP"
    if grep -q libgdal "$T_DIR/out"; then
        fail "evmap links libgdal: $(grep libgdal "$T_DIR/out")"
    else
        pass
    fi
    grep_out "evmap links PROJ directly" 'libproj\.so'
else
    fail "no executable at $EVMAP"
fi

MOD="$EVMAP_DATA/evmap-gdal.so"
if [ -f "$MOD" ]; then
    expect_rc 0 "ldd evmap-gdal.so" ldd "$MOD"
    grep_out "the module links libgdal" 'libgdal\.so'
    # one entry point: the table; everything else stays hidden
    expect_rc 0 "nm evmap-gdal.so" nm -D --defined-only "$MOD"
    grep_out "the module exports evm_gdal_module" ' evm_gdal_module$'
    n=$(grep -c ' [TDBR] evm' "$T_DIR/out")
    if [ "$n" = 1 ]; then pass; else
        fail "the module exports $n evm symbols, want 1: $(grep ' evm' "$T_DIR/out" | head -5)"
    fi
else
    fail "no GDAL module at $MOD"
fi

report

# Start-up: the evmap executable links only what `evmap geocode` needs. The
# drawing commands live in evmap-cmds.so (PROJ, cairo, Pango: about 75
# shared libraries) and GDAL in evmap-gdal.so (libgdal costs about 27 ms per
# process); both are loaded with dlopen when a command or format needs them.
. "$EVMAP_ROOT/tests/lib.sh"

if [ -x "$EVMAP" ]; then
    expect_rc 0 "ldd evmap" ldd "$EVMAP"
    if grep -q libgdal "$T_DIR/out"; then
        fail "evmap links libgdal: $(grep libgdal "$T_DIR/out")"
    else
        pass
    fi
    for lib in libproj libcairo libpango libyaml; do
        if grep -q "$lib" "$T_DIR/out"; then fail "evmap links $lib"; else pass; fi
    done
    # and geocode runs without loading them
    expect_rc 0 "geocode" env LD_DEBUG=files "$EVMAP" geocode Almaty
    if grep -qE 'libproj|libcairo|libpango|libgdal' "$T_DIR/err"; then
        fail "geocode loaded a drawing library"
    else
        pass
    fi
else
    fail "no executable at $EVMAP"
fi

CMDS="$EVMAP_DATA/evmap-cmds.so"
if [ -f "$CMDS" ]; then
    expect_rc 0 "ldd evmap-cmds.so" ldd "$CMDS"
    grep_out "the commands module links PROJ" 'libproj\.so'
    grep_out "the commands module links cairo" 'libcairo\.so'
    if grep -q libgdal "$T_DIR/out"; then fail "evmap-cmds.so links libgdal"; else pass; fi
    # a command other than geocode loads it on first use
    expect_rc 3 "validate a missing file" env LD_DEBUG=files "$EVMAP" validate "$T_DIR/none.yaml"
    grep_err "validate loads the commands module" 'evmap-cmds\.so'
else
    fail "no commands module at $CMDS"
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

/* For test programs that draw: releases the process-wide caches of
 * Pango, cairo and fontconfig before exit, as cairo's own test suite does
 * (cairo_debug_reset_static_data, FcFini), so that LeakSanitizer sees
 * only what evmap itself failed to free and tests/lsan.supp needs no
 * entry for these libraries' caches. Call it last, once nothing draws. */
#ifndef EVM_TEARDOWN_H
#define EVM_TEARDOWN_H

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

static void evm_test_release_caches(void)
{
    /* the default font map holds fontconfig patterns of every font used */
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
}

#endif

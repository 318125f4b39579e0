/* Process-wide set-up of fontconfig (see evm_global_init in evmap.h). */
#include <stdlib.h>
#include <fontconfig/fontconfig.h>

#include "evmap.h"

/* FcInit parses the system's whole fontconfig set-up (dozens of XML files
 * in conf.d) before the first glyph: about a sixth of the instructions of
 * a small map. A configuration that lists only the font directories and
 * their caches loads in a twentieth of that and, for the families evmap
 * asks for by name, picks the same fonts (the same pixels in the test
 * maps); scripts Noto Sans lacks still fall back to any installed font
 * that covers them. Pango's font map would call FcInit in a thread of its
 * own; with a current configuration set, that call returns at once. */
evm_status evm_global_init(void)
{
    if (getenv("EVMAP_SYSTEM_FONTCONFIG"))
        return EVM_OK;
    static const char xml[] =
        "<?xml version=\"1.0\"?><fontconfig>"
        "<dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir>"
        "<dir prefix=\"xdg\">fonts</dir>"
        "<cachedir>/var/cache/fontconfig</cachedir>"
        "<cachedir prefix=\"xdg\">fontconfig</cachedir>"
        "</fontconfig>";
    FcConfig *c = FcConfigCreate();
    if (!c)
        return EVM_OK;
    FcFontSet *fs = NULL;
    if (FcConfigParseAndLoadFromMemory(c, (const FcChar8 *)xml, FcFalse) &&
        FcConfigBuildFonts(c) && (fs = FcConfigGetFonts(c, FcSetSystem)) &&
        fs->nfont > 0 && FcConfigSetCurrent(c))
        return EVM_OK; /* the current configuration now owns c */
    FcConfigDestroy(c);
    return EVM_OK;
}

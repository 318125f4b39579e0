/* The three themes: one table, light, dark and print differing only in
 * data (CARTOGRAPHY.md). Colours are 0xRRGGBB. */
#include "style/style.h"

static const evm_theme_def themes[] = {
    [EVM_THEME_LIGHT] = {
        .name = "light",
        .water = 0xd6e6f2, .land = 0xf4f1ea,
        .land_focus = 0xfbfaf6, .land_other = 0xefece4,
        .border = 0x8c8c8c, .border_casing = 0xffffff,
        .admin1 = 0xb8b4aa, .river = 0xa9c8e0,
        .country_label = 0x6e6a62, .city_dot = 0x6e6a62,
        .city_label = 0x55514a,
        .text = 0x1a1a1a, .text_muted = 0x55514a, .footer = 0x77736b,
        .halo = 0xf4f1ea,
        .legend_bg = 0xffffff, .legend_border = 0xd0ccc2,
        .cat_color = {
            [EVM_CAT_BATTLES] = 0xD55E00,
            [EVM_CAT_EXPLOSIONS] = 0xE69F00,
            [EVM_CAT_VIOLENCE_CIV] = 0xCC79A7,
            [EVM_CAT_PROTESTS] = 0x0072B2,
            [EVM_CAT_RIOTS] = 0x56B4E9,
            [EVM_CAT_STRATEGIC] = 0x009E73,
            [EVM_CAT_INFRA] = 0x4D4D4D,
        },
        .side_color = { 0xC0392B, 0x2E6DB4, 0x7B4EA3, 0x2E8B57 },
        .side_unknown = 0x666666,
        .inset_box = 0xD62728,
        .greyscale = 0,
        .label_text = 0x1f1f1f, .leader = 0x6e6a62,
        .marker_halo = 0xffffff, .marker_glyph = 0xffffff,
        .graticule = 0xe3dfd5,
        .title = 0x1a1a1a,
        .area_default = 0x7B4EA3,
    },
    [EVM_THEME_DARK] = {
        .name = "dark",
        .water = 0x1c2733, .land = 0x2a2a2a,
        .land_focus = 0x33322f, .land_other = 0x262626,
        .border = 0x77736b, .border_casing = 0x1e1e1e,
        .admin1 = 0x4d4a45, .river = 0x2c4257,
        .country_label = 0x9a958c, .city_dot = 0x9a958c,
        .city_label = 0xb4afa5,
        .text = 0xe8e4dc, .text_muted = 0xcfcac0, .footer = 0x8f8a80,
        .halo = 0x2a2a2a,
        .legend_bg = 0x222222, .legend_border = 0x4d4a45,
        .cat_color = {
            [EVM_CAT_BATTLES] = 0xD55E00,
            [EVM_CAT_EXPLOSIONS] = 0xE69F00,
            [EVM_CAT_VIOLENCE_CIV] = 0xCC79A7,
            [EVM_CAT_PROTESTS] = 0x0072B2,
            [EVM_CAT_RIOTS] = 0x56B4E9,
            [EVM_CAT_STRATEGIC] = 0x009E73,
            [EVM_CAT_INFRA] = 0x7A7A7A,
        },
        .side_color = { 0xE0533F, 0x4A8FD9, 0xA57BCB, 0x3FAE70 },
        .side_unknown = 0x999999,
        .inset_box = 0xF0503C,
        .greyscale = 0,
        .label_text = 0xeeeae2, .leader = 0x9a958c,
        .marker_halo = 0xffffff, .marker_glyph = 0xffffff,
        .graticule = 0x383836,
        .title = 0xeeeae2,
        .area_default = 0xB48CDC,
    },
    [EVM_THEME_PRINT] = {
        .name = "print",
        .water = 0xe6e6e6, .land = 0xffffff,
        .land_focus = 0xffffff, .land_other = 0xf3f3f3,
        .border = 0x6b6b6b, .border_casing = 0xffffff,
        .admin1 = 0xaaaaaa, .river = 0xc4c4c4,
        .country_label = 0x5a5a5a, .city_dot = 0x5a5a5a,
        .city_label = 0x444444,
        .text = 0x000000, .text_muted = 0x444444, .footer = 0x595959,
        .halo = 0xffffff,
        .legend_bg = 0xffffff, .legend_border = 0x999999,
        /* Events in black and dark greys: the shape carries the type. */
        .cat_color = {
            [EVM_CAT_BATTLES] = 0x1a1a1a,
            [EVM_CAT_EXPLOSIONS] = 0x3c3c3c,
            [EVM_CAT_VIOLENCE_CIV] = 0x1a1a1a,
            [EVM_CAT_PROTESTS] = 0x505050,
            [EVM_CAT_RIOTS] = 0x3c3c3c,
            [EVM_CAT_STRATEGIC] = 0x1a1a1a,
            [EVM_CAT_INFRA] = 0x505050,
        },
        .side_color = { 0x000000, 0x595959, 0x8c8c8c, 0x333333 },
        .side_unknown = 0x777777,
        .inset_box = 0x000000,
        .greyscale = 1,
        .label_text = 0x000000, .leader = 0x595959,
        .marker_halo = 0xffffff, .marker_glyph = 0xffffff,
        .graticule = 0xdddddd,
        .title = 0x000000,
        .area_default = 0x555555,
    },
};

/* Returns the static table of theme t; values outside the enum give the
 * light theme. Never NULL; the table must not be modified. */
const evm_theme_def *evm__theme(evm_theme t)
{
    if ((int)t < 0 || (size_t)t >= sizeof themes / sizeof themes[0])
        t = EVM_THEME_LIGHT;
    return &themes[t];
}

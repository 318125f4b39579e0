/* The style module: decisions the map and the exported features share,
 * checked without drawing anything. */
#include "harness.h"
#include "core/core.h"
#include "spec/spec.h"
#include "style/style.h"

static void test_color_parse(void)
{
    CHECK(evm__color_parse("#C0392B", 1) == 0xC0392B, "#rrggbb");
    CHECK(evm__color_parse("#abc", 1) == 0xAABBCC, "#rgb doubles digits");
    CHECK(evm__color_parse("red", 7) == 7, "a name gives the default");
    CHECK(evm__color_parse("#12345", 7) == 7, "five digits: default");
    CHECK(evm__color_parse("#12g456", 7) == 7, "not hex: default");
    CHECK(evm__color_parse(NULL, 7) == 7, "NULL: default");
    unsigned v = 5;
    CHECK(evm__color_read("#0x1234", &v) == -1 &&
              evm__color_read("#+12345", &v) == -1 &&
              evm__color_read("# 12345", &v) == -1 &&
              evm__color_read("#fff ", &v) == -1 && v == 5,
          "only hex digits: no sign, prefix or spaces, *rgb untouched");
    char norm[8];
    CHECK(evm__parse_color("#AbC", norm) == 0 && !strcmp(norm, "#aabbcc"),
          "the spec's colours read by the same parser: %s", norm);
    char hex[8];
    evm__color_hex(hex, 0x2E6DB4);
    CHECK_STR(hex, "#2e6db4", "hex is lower case, six digits");
}

static void test_sides(void)
{
    const evm_theme_def *th = evm__theme(EVM_THEME_LIGHT);
    evm__sides sp = {0};
    const char *names[] = {"Russia", "Ukraine", "RUSSIA", "", "A", "B",
                           "C", "D", "E", "F", "G"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        evm__sides_add(&sp, names[i]);
    CHECK(sp.n == EVM_SIDES_MAX, "at most %d sides kept: %d", EVM_SIDES_MAX,
          sp.n);
    CHECK(evm__side_color_of(th, &sp, "russia", NULL) == th->side_color[0],
          "the first side is the first colour, any case");
    CHECK(evm__side_color_of(th, &sp, "Ukraine", NULL) == th->side_color[1],
          "the second side the second");
    CHECK(evm__side_color_of(th, &sp, "B", NULL) == th->side_color[3],
          "the fourth side the fourth");
    CHECK(evm__side_color_of(th, &sp, "C", NULL) == th->side_unknown,
          "past the fourth: the unknown colour");
    CHECK(evm__side_color_of(th, &sp, NULL, NULL) == th->side_unknown &&
              evm__side_color_of(th, &sp, "", NULL) == th->side_unknown,
          "no side: the unknown colour");
    CHECK(evm__side_color_of(th, &sp, "Russia", "#010203") == 0x010203,
          "an own colour wins");
    CHECK(evm__side_color_of(th, &sp, "Russia", "blue") == th->side_unknown,
          "an unreadable own colour gives the unknown colour");
    evm__sides none;
    evm__sides_of_map(&none, NULL);
    CHECK(none.n == 0, "no map: an empty palette");
}

static void test_moves(void)
{
    const evm_theme_def *th = evm__theme(EVM_THEME_DARK);
    evm__sides sp = {0};
    evm__sides_add(&sp, "Red");
    evm_movement mv = {.type = EVM_MOVE_AIRLIFT, .side = "red"};
    evm__move_style ms;
    evm__move_style_of(th, &sp, &mv, &ms);
    CHECK(ms.color == th->side_color[0], "a side's colour in the theme");
    CHECK(ms.dashed && ms.dash_on == EVM_MOVE_DASH_ON &&
              strcmp(ms.dasharray, "11 6") == 0,
          "an airlift is long-dashed, as in simplestyle");
    mv.type = EVM_MOVE_ADVANCE;
    evm__move_style_of(th, &sp, &mv, &ms);
    CHECK(!ms.dashed && !ms.dasharray && ms.w_tail == 8,
          "an advance is solid and wide");
    mv.claimed = 1;
    evm__move_style_of(th, &sp, &mv, &ms);
    CHECK(ms.dashed && ms.dash_on == EVM_CLAIMED_DASH_ON &&
              strcmp(ms.dasharray, "6 5") == 0,
          "a claimed move is short-dashed");
    mv = (evm_movement){.type = EVM_MOVE_WITHDRAWAL};
    evm__move_style_of(th, &sp, &mv, &ms);
    CHECK(ms.open_head && ms.color == th->side_unknown &&
              ms.stroke_width == (6.5 + 3.2) / 2,
          "a withdrawal: open head, unknown side, the mean width");
}

static void test_areas(void)
{
    const evm_theme_def *th = evm__theme(EVM_THEME_PRINT);
    evm__sides sp = {0};
    evm__sides_add(&sp, "X");
    evm__sides_add(&sp, "Y");
    evm_area a = {.side = "Y"};
    evm__area_style as;
    evm__area_style_of(th, &sp, &a, &as);
    CHECK(as.color == th->side_color[1] && !as.hatched && !as.dasharray &&
              as.fill_cover == 0.1,
          "an assessed area: its side's colour, a light fill, solid edge");
    a = (evm_area){.claimed = 1};
    evm__area_style_of(th, &sp, &a, &as);
    CHECK(as.color == th->area_default && as.hatched &&
              strcmp(as.dasharray, "5 3") == 0 && as.fill_cover == 0.2,
          "a claimed area without a side: hatched, dashed, default colour");
}

static void test_markers(void)
{
    CHECK_STR(evm__marker_size_name(-1), "small", "no fatalities: small");
    CHECK_STR(evm__marker_size_name(10), "medium", "10: medium");
    CHECK_STR(evm__marker_size_name(100), "large", "100: large");
    const evm_event_type *riot = evm__event_type_find("riot");
    CHECK(riot && strcmp(evm__marker_symbol(riot), "circle-stroked") == 0,
          "a riot's Maki symbol");
    CHECK_STR(evm__marker_symbol(NULL), "circle", "no type: a circle");
    const evm_theme_def *th = evm__theme(EVM_THEME_LIGHT);
    CHECK(evm__marker_color(th, NULL) == th->cat_color[EVM_CAT_PROTESTS],
          "no type: the protests' colour");
    CHECK(evm__theme((evm_theme)99) == evm__theme(EVM_THEME_LIGHT),
          "an unknown theme is light");
}

int main(void)
{
    test_color_parse();
    test_sides();
    test_moves();
    test_areas();
    test_markers();
    TEST_REPORT();
}

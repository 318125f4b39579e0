/* Writing the drafted map as a spec: every element under a comment that
 * quotes the sentence it came from, so that the analyst can check it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "gazetteer/gaz_int.h"

static const char *const month_names[] = {
    "", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};

/* Bytes of s[i] that a spec may not hold (C0 and C1 controls, DEL):
 * how many to replace with a space, or 0. */
static int control_at(const unsigned char *p)
{
    if (*p < 0x20 || *p == 0x7f)
        return 1;
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
        return 2;
    return 0;
}

/* A double-quoted YAML scalar. */
static void q(evm_buf *b, const char *s)
{
    evm__buf_add(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int c = control_at(p);
        if (*p == '"' || *p == '\\') {
            evm__buf_add(b, "\\", 1);
            evm__buf_add(b, p, 1);
        } else if (c) {
            evm__buf_add(b, " ", 1);
            p += c - 1;
        } else
            evm__buf_add(b, p, 1);
    }
    evm__buf_add(b, "\"", 1);
}

/* "  # <the sentence>" wrapped at about 76 columns. */
static void comment(evm_buf *b, const struct ex_doc *d, int k,
                    const char *note)
{
    const struct ex_sent *s = &d->sent[k];
    const char *t = d->text + s->b0;
    size_t n = s->b1 - s->b0, col = 0;
    if (n > 600)
        n = 600;
    evm__buf_puts(b, "  # \"");
    for (size_t i = 0; i < n; i++) {
        int cc = control_at((const unsigned char *)t + i);
        char c = cc ? ' ' : t[i];
        if (cc == 2)
            i++;
        if (c == ' ' && col > 70) {
            evm__buf_puts(b, "\n  #  ");
            col = 0;
            continue;
        }
        evm__buf_add(b, &c, 1);
        col++;
    }
    evm__buf_puts(b, "\"\n");
    if (note && note[0])
        evm__buf_printf(b, "  # (%s)\n", note);
}

static void date(evm_buf *b, struct ex_date t)
{
    if (t.y)
        evm__buf_printf(b, "    date: %04d-%02d-%02d\n", t.y, t.m, t.d);
}

/* place:, with country: and kind: hints so that the spec resolves to
 * the place the text meant. */
static void place(evm_buf *b, const char *key, const evm_place *p,
                  const char *indent)
{
    evm__buf_printf(b, "%s%s: { name: ", indent, key);
    q(b, p->name);
    if (p->country[0])
        evm__buf_printf(b, ", country: %s", p->country);
    /* a kind hint the spec reader knows: the finer kind ("oil field"),
     * else the coarse one ("airport", "water"); none for towns, regions
     * and countries, whose names resolve as they are */
    if (p->kind != EVM_KIND_CITY && p->kind != EVM_KIND_COUNTRY &&
        p->kind != EVM_KIND_ADMIN1 && p->kind != EVM_KIND_ADMIN2) {
        const char *k = p->kind_name && evm__gz_parse_kind(p->kind_name)
                            ? p->kind_name
                            : evm__gz_parse_kind(evm_kind_str(p->kind))
                                  ? evm_kind_str(p->kind) : NULL;
        if (k) {
            evm__buf_puts(b, ", kind: ");
            q(b, k);
        }
    }
    evm__buf_puts(b, " }\n");
}

static void head(evm_buf *b, const struct ex_doc *d)
{
    evm__buf_puts(b, "# Drafted by evmap extract from a report. Check every "
                     "element against the\n# sentence quoted above it, then "
                     "run evmap validate and evmap render.\n");
    evm__buf_puts(b, "title: ");
    q(b, d->title[0] ? d->title : "Report");
    evm__buf_puts(b, "\n");
    if (d->base.y) {
        char sub[96];
        snprintf(sub, sizeof sub, "As reported on %d %s %d", d->base.d,
                 month_names[d->base.m], d->base.y);
        evm__buf_puts(b, "subtitle: ");
        q(b, sub);
        evm__buf_puts(b, "\n");
    }
    if (d->sources[0]) {
        char src[200];
        snprintf(src, sizeof src, "Reporting: %s", d->sources);
        evm__buf_puts(b, "source: ");
        q(b, src);
        evm__buf_puts(b, "\n");
    }
    if (d->main_country)
        evm__buf_printf(b, "context: { country: %s }\n",
                        d->main_country->place.country);
}

/* One drafted event or area: its sentence as a comment, then its keys
 * (an area has no fatalities). */
static void item(evm_buf *b, const struct ex_doc *d, const struct ex_event *e,
                 int with_fatalities)
{
    comment(b, d, e->sent, e->note);
    place(b, "- place", &e->at->place, "  ");
    evm__buf_printf(b, "    type: %s\n", e->type);
    date(b, e->date);
    if (with_fatalities && e->fatalities > 0)
        evm__buf_printf(b, "    fatalities: %ld\n", e->fatalities);
    if (e->label[0]) {
        evm__buf_puts(b, "    label: ");
        q(b, e->label);
        evm__buf_puts(b, "\n");
    }
    if (e->claimed)
        evm__buf_puts(b, "    confidence: claimed\n");
}

static void events(evm_buf *b, const struct ex_doc *d)
{
    int any = 0;
    for (size_t i = 0; i < d->nev; i++) {
        const struct ex_event *e = &d->ev[i];
        if (e->area)
            continue;
        if (!any++)
            evm__buf_puts(b, "\nevents:\n");
        item(b, d, e, 1);
    }
}

static void areas(evm_buf *b, const struct ex_doc *d)
{
    int any = 0;
    for (size_t i = 0; i < d->nev; i++) {
        const struct ex_event *e = &d->ev[i];
        if (!e->area)
            continue;
        if (!any++)
            evm__buf_puts(b, "\nareas:\n");
        item(b, d, e, 0);
    }
}

static void movements(evm_buf *b, const struct ex_doc *d)
{
    for (size_t i = 0; i < d->nmv; i++) {
        const struct ex_move *m = &d->mv[i];
        if (i == 0)
            evm__buf_puts(b, "\nmovements:\n");
        char note[160] = "";
        if (m->from_country)
            snprintf(note, sizeof note, "the text gives the origin only as "
                     "a country: it starts at %s", m->from.name);
        comment(b, d, m->sent, note);
        place(b, "- from", &m->from, "  ");
        place(b, "to", &m->to, "    ");
        evm__buf_printf(b, "    type: %s\n", m->type);
        evm__buf_puts(b, "    side: ");
        q(b, m->side);
        evm__buf_puts(b, "\n");
        date(b, m->date);
        if (m->label[0]) {
            evm__buf_puts(b, "    label: ");
            q(b, m->label);
            evm__buf_puts(b, "\n");
        }
    }
}

char *ex_yaml(const struct ex_doc *d)
{
    evm_buf b;
    evm__buf_init(&b, 64u << 20);
    head(&b, d);
    events(&b, d);
    movements(&b, d);
    areas(&b, d);
    if (b.failed)
        return NULL;
    if (!b.data)
        return evm__strdup("");
    return b.data;
}

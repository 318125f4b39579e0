/* The one YAML reader: limits, libyaml's parser, syntax errors with
 * file:line:col, and the node-walking helpers shared by the spec and the
 * manifest readers. Contracts and the limits are in yaml.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "spec/yaml.h"

/* ------------------------------------------------------------ messages */

/* Contract in yaml.h. */
int evm__y_fail(evm__yrd *r, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    evm_error_set(r->err, EVM_E_INPUT, "%s:%d:%d: %s", r->file,
                  n ? evm__y_line(n) : 1, n ? evm__y_col(n) : 1, msg);
    return -1;
}

/* Contract in yaml.h. */
int evm__y_nomem(evm__yrd *r)
{
    evm_error_set(r->err, EVM_E_NOMEM, "out of memory");
    return -1;
}

/* Contract in yaml.h. */
int evm__y_is_null(const yaml_node_t *n)
{
    if (!evm__y_is_plain(n))
        return 0;
    const char *s = evm__y_sval(n);
    return !*s || !strcmp(s, "~") || !strcasecmp(s, "null");
}

/* Appends a short rendering of n to b. */
static void describe_into(evm__yrd *r, const yaml_node_t *n, char *b,
                          size_t cap, int depth)
{
    size_t len = strlen(b);
    if (len + 8 >= cap)
        return;
    if (evm__y_is_scalar(n)) {
        if (evm__y_is_null(n)) {
            snprintf(b + len, cap - len, "nothing");
            return;
        }
        const char *q = evm__y_is_plain(n) ? "" : "\"";
        const char *s = evm__y_sval(n);
        snprintf(b + len, cap - len, "%s%.40s%s%s", q, s,
                 strlen(s) > 40 ? "..." : "", q);
        return;
    }
    if (n->type == YAML_MAPPING_NODE) {
        snprintf(b + len, cap - len, "%s", depth ? "{...}" : "a mapping");
        return;
    }
    if (depth) {
        snprintf(b + len, cap - len, "[...]");
        return;
    }
    snprintf(b + len, cap - len, "[");
    int i = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++, i++) {
        len = strlen(b);
        if (i == 4) {
            snprintf(b + len, cap - len, ", ...");
            break;
        }
        if (i)
            snprintf(b + len, cap - len, ", ");
        yaml_node_t *c = yaml_document_get_node(
            (yaml_document_t *)&r->d->doc, *it);
        if (c)
            describe_into(r, c, b, cap, depth + 1);
    }
    len = strlen(b);
    snprintf(b + len, cap - len, "]");
}

/* Contract in yaml.h. */
const char *evm__y_describe(evm__yrd *r, const yaml_node_t *n, char b[160])
{
    b[0] = '\0';
    describe_into(r, n, b, 160, 0);
    return b;
}

/* Contract in yaml.h. */
const char *evm__y_type_word(const yaml_node_t *n)
{
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    return "a single value";
}

/* ---------------------------------------------------------- tree walking */

/* Contract in yaml.h. */
void evm__yrd_init(evm__yrd *r, const evm__ydoc *d, evm_error *err)
{
    memset(r, 0, sizeof *r);
    r->d = d;
    r->file = d->file;
    r->dirlen = d->dirlen;
    r->err = err;
    /* Without aliases a walk visits each node about once and copies each
     * text once; the margins leave room for ordinary alias use. */
    r->budget = 16 * d->nodes + 100000;
    r->bytes_left = 2 * d->len + ((size_t)1 << 20);
}

/* Contract in yaml.h. */
yaml_node_t *evm__y_child(evm__yrd *r, const yaml_node_t *parent, int id)
{
    yaml_node_t *n = yaml_document_get_node((yaml_document_t *)&r->d->doc,
                                            id);
    if (!n) {
        evm__y_fail(r, parent, "internal error: dangling YAML node");
        return NULL;
    }
    if (--r->budget < 0) {
        evm__y_fail(r, n, "the %s expands to too many values (check "
                          "aliases such as *name); write the values out",
                    r->d->kind->noun);
        return NULL;
    }
    return n;
}

/* The message for an unknown key k of mapping `what`. */
static int unknown_key(evm__yrd *r, const yaml_node_t *k, const char *what,
                       const char *const *keys, int nkeys)
{
    const char *s = evm__y_sval(k);
    const char *near = evm__nearest(s, keys, 2);
    if (!near) {
        /* "Title", "LABEL": the same word in another case */
        for (int i = 0; i < nkeys; i++)
            if (!strcasecmp(s, keys[i]))
                near = keys[i];
    }
    if (near)
        return evm__y_fail(r, k, "unknown key \"%.60s\" in %s — did you "
                                 "mean \"%s\"?", s, what, near);
    size_t len = 0;
    char list[400] = "";
    for (int i = 0; i < nkeys; i++) {
        len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                 keys[i]);
    }
    return evm__y_fail(r, k, "unknown key \"%.60s\" in %s; valid keys: %s",
                       s, what, list);
}

/* Contract in yaml.h. */
int evm__y_read_map(evm__yrd *r, const yaml_node_t *n, const char *what,
                    const char *const *keys, yaml_node_t **vals)
{
    int nkeys = 0;
    while (keys[nkeys])
        nkeys++;
    yaml_node_t *knode[32];
    for (int i = 0; i < nkeys && i < 32; i++) {
        vals[i] = NULL;
        knode[i] = NULL;
    }
    if (n->type != YAML_MAPPING_NODE) {
        char b[160];
        return evm__y_fail(r, n, "%s must be a mapping of keys (key: "
                                 "value), got %s", what,
                           evm__y_describe(r, n, b));
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = evm__y_child(r, n, p->key);
        if (!k)
            return -1;
        yaml_node_t *v = evm__y_child(r, n, p->value);
        if (!v)
            return -1;
        if (!evm__y_is_scalar(k))
            return evm__y_fail(r, k, "keys in %s must be plain words, not "
                                     "%s", what, evm__y_type_word(k));
        int idx = -1;
        for (int i = 0; i < nkeys; i++)
            if (!strcmp(evm__y_sval(k), keys[i])) {
                idx = i;
                break;
            }
        if (idx < 0)
            return unknown_key(r, k, what, keys, nkeys);
        if (knode[idx])
            return evm__y_fail(r, k, "duplicate key \"%s\" in %s (first at "
                                     "%d:%d); keep only one", keys[idx],
                               what, evm__y_line(knode[idx]),
                               evm__y_col(knode[idx]));
        knode[idx] = k;
        vals[idx] = v;
    }
    return 0;
}

/* Contract in yaml.h. */
const char *evm__y_text(evm__yrd *r, const yaml_node_t *n, const char *key)
{
    if (!evm__y_is_scalar(n)) {
        evm__y_fail(r, n, "%s must be text, got %s", key,
                    evm__y_type_word(n));
        return NULL;
    }
    if (strlen(evm__y_sval(n)) != n->data.scalar.length) {
        evm__y_fail(r, n, "%s contains a NUL character; remove it", key);
        return NULL;
    }
    if (n->data.scalar.length > r->bytes_left) {
        evm__y_fail(r, n, "the %s expands to too much text (check aliases "
                          "such as *name); write the values out",
                    r->d->kind->noun);
        return NULL;
    }
    r->bytes_left -= n->data.scalar.length;
    return evm__y_sval(n);
}

/* ------------------------------------------------------------- loading */

/* 1-based line and column (in characters) of byte offset off in buf. */
static void offset_pos(const char *buf, size_t len, size_t off, int *line,
                       int *col)
{
    int l = 1, c = 1;
    size_t i = 0;
    if (off > len)
        off = len;
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        i = 3; /* a BOM takes no column */
    for (; i < off; i++) {
        unsigned char ch = (unsigned char)buf[i];
        int crlf = ch == '\r' && i + 1 < len && buf[i + 1] == '\n';
        if (ch == '\n' || (ch == '\r' && !crlf)) {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80 && ch != '\r') {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* The character at 0-based line/column (libyaml marks), or 0. */
static int char_at(const char *buf, size_t len, size_t line, size_t col)
{
    size_t i = 0;
    for (size_t l = 0; l < line && i < len; i++)
        if (buf[i] == '\n')
            l++;
    for (size_t c = 0; c < col && i < len; i++)
        if (((unsigned char)buf[i] & 0xC0) != 0x80)
            c++;
    while (i < len && ((unsigned char)buf[i] & 0xC0) == 0x80)
        i++;
    return i < len ? (unsigned char)buf[i] : 0;
}

static void syntax_error(const evm__ykind *k, const char *file,
                         yaml_parser_t *p, const char *buf, size_t len,
                         evm_error *err)
{
    int line, col;
    if (p->error == YAML_MEMORY_ERROR) {
        evm_error_set(err, EVM_E_NOMEM, "%s: out of memory", file);
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        offset_pos(buf, len, p->problem_offset, &line, &col);
        evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: %s; save the %s as "
                      "plain UTF-8 text", file, line, col,
                      p->problem ? p->problem : "unreadable input",
                      k->noun);
        return;
    }
    line = (int)p->problem_mark.line + 1;
    col = (int)p->problem_mark.column + 1;
    int ch = char_at(buf, len, p->problem_mark.line, p->problem_mark.column);
    const char *hint = "check the indentation, and quote values that "
                       "contain \": \" or start with # [ { * & ! | >";
    if (ch == '\t')
        hint = "YAML indents with spaces, not tabs";
    char ctx[80] = "";
    if (p->context)
        snprintf(ctx, sizeof ctx, " (%s at %d:%d)", p->context,
                 (int)p->context_mark.line + 1,
                 (int)p->context_mark.column + 1);
    evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: YAML syntax error: %s%s; %s",
                  file, line, col,
                  p->problem ? p->problem : "malformed YAML", ctx, hint);
}

/* The anchor an event defines, or NULL. */
static const unsigned char *event_anchor(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SEQUENCE_START_EVENT: return ev->data.sequence_start.anchor;
    case YAML_MAPPING_START_EVENT: return ev->data.mapping_start.anchor;
    case YAML_SCALAR_EVENT: return ev->data.scalar.anchor;
    default: return NULL;
    }
}

/* A first pass over libyaml's events that refuses what would make its
 * document loader slow (see yaml.h): too deep, too many anchors or
 * aliases. Syntax errors surface here too. */
static int prescan(const evm__ykind *k, const char *file, const char *buf,
                   size_t len, evm_error *err)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int depth = 0, rc = 0;
    long anchors = 0, aliases = 0;
    if (!yaml_parser_initialize(&p)) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)(len ? buf : ""),
                                 len);
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            syntax_error(k, file, &p, buf, len, err);
            rc = -1;
            break;
        }
        yaml_event_type_t t = ev.type;
        char why[160] = "";
        if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
            if (++depth > EVM_YAML_MAX_DEPTH)
                snprintf(why, sizeof why, "the %s nests more than %d "
                         "levels deep (%s); check the brackets", k->noun,
                         EVM_YAML_MAX_DEPTH, k->depth_hint);
        } else if (t == YAML_SEQUENCE_END_EVENT ||
                   t == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        if (event_anchor(&ev) && ++anchors > EVM_YAML_MAX_ANCHORS)
            snprintf(why, sizeof why, "more than %d anchors (&name); write "
                     "the values out", EVM_YAML_MAX_ANCHORS);
        if (t == YAML_ALIAS_EVENT && ++aliases > EVM_YAML_MAX_ALIASES)
            snprintf(why, sizeof why, "more than %d aliases (*name); write "
                     "the values out", EVM_YAML_MAX_ALIASES);
        if (why[0]) {
            evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: %s", file,
                          (int)ev.start_mark.line + 1,
                          (int)ev.start_mark.column + 1, why);
            rc = -1;
        }
        yaml_event_delete(&ev);
        if (rc || t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    return rc;
}

/* Loads the one document of buf into d->doc (prescan passed). */
static int load_doc(evm__ydoc *d, const char *buf, size_t len,
                    evm_error *err)
{
    const evm__ykind *k = d->kind;
    yaml_parser_t p;
    int rc = -1;
    if (!yaml_parser_initialize(&p)) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)(len ? buf : ""),
                                 len);
    /* The input is valid UTF-8 by now, so libyaml's encoding detection
     * can only find UTF-8; it also skips a leading BOM without counting
     * it as a column. */
    if (!yaml_parser_load(&p, &d->doc)) {
        syntax_error(k, d->file, &p, buf, len, err);
        yaml_parser_delete(&p);
        return -1;
    }
    yaml_document_t next;
    if (!yaml_document_get_root_node(&d->doc)) {
        evm_error_set(err, EVM_E_INPUT, "%s:1:1: the %s is empty; %s",
                      d->file, k->noun, k->empty_hint);
    } else if (!yaml_parser_load(&p, &next)) {
        syntax_error(k, d->file, &p, buf, len, err);
    } else {
        if (yaml_document_get_root_node(&next))
            evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: a second YAML "
                          "document (after ---); %s", d->file,
                          (int)next.start_mark.line + 1,
                          (int)next.start_mark.column + 1, k->multi_hint);
        else
            rc = 0;
        yaml_document_delete(&next);
    }
    if (rc < 0)
        yaml_document_delete(&d->doc);
    yaml_parser_delete(&p);
    return rc;
}

/* Contract in yaml.h. */
evm__ydoc *evm__ydoc_load(const evm__ykind *k, const char *name,
                          const char *buf, size_t len, evm_error *err)
{
    char dflt[32];
    snprintf(dflt, sizeof dflt, "<%s>", k->noun);
    const char *file = name ? name : dflt;
    if (!buf && len) {
        evm_error_set(err, EVM_E_USAGE, "%s: no buffer", file);
        return NULL;
    }
    if (len > EVM_YAML_MAX_BYTES) {
        evm_error_set(err, EVM_E_TOOBIG, "%s: the %s is %zu bytes, over the "
                      "16 MB limit; %s", file, k->noun, len, k->big_hint);
        return NULL;
    }
    /* Invalid UTF-8: say where, before libyaml (which gives no line). */
    long bad = evm__utf8_bad_offset(buf, len);
    if (bad >= 0) {
        int line, col;
        offset_pos(buf, len, (size_t)bad, &line, &col);
        evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: invalid UTF-8 (byte "
                      "0x%02x); save the %s as UTF-8", file, line, col,
                      (unsigned char)buf[bad], k->noun);
        return NULL;
    }
    if (prescan(k, file, buf, len, err) < 0)
        return NULL;
    evm__ydoc *d = evm__calloc(1, sizeof *d);
    if (!d || !(d->file = evm__strdup(file))) {
        free(d);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    const char *slash = strrchr(d->file, '/');
    d->dirlen = slash ? (size_t)(slash - d->file) + 1 : 0;
    d->len = len;
    d->kind = k;
    d->refs = 1;
    if (load_doc(d, buf, len, err) < 0) {
        free(d->file);
        free(d);
        return NULL;
    }
    d->nodes = (long)(d->doc.nodes.top - d->doc.nodes.start);
    return d;
}

/* Contract in yaml.h. */
evm__ydoc *evm__ydoc_load_file(const evm__ykind *k, const char *path,
                               evm_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    evm_error e;
    evm_error_clear(&e);
    if (!path) {
        evm_error_set(err, EVM_E_USAGE, "no %s file given", k->noun);
        return NULL;
    }
    /* read once: a pipe or FIFO cannot be read again */
    if (evm__read_file(path, EVM_YAML_MAX_BYTES, &buf, &len, &e) !=
        EVM_OK) {
        if (e.code == EVM_E_TOOBIG)
            evm_error_set(err, EVM_E_TOOBIG, "%s: the %s is over the 16 MB "
                          "limit; %s", path, k->noun, k->big_hint);
        else
            evm_error_set(err, e.code, "%s", e.msg);
        return NULL;
    }
    evm__ydoc *d = evm__ydoc_load(k, path, buf, len, err);
    free(buf);
    return d;
}

/* Contract in yaml.h. */
evm__ydoc *evm__ydoc_ref(evm__ydoc *d)
{
    if (d)
        __atomic_add_fetch(&d->refs, 1, __ATOMIC_RELAXED);
    return d;
}

/* Contract in yaml.h. */
void evm__ydoc_unref(evm__ydoc *d)
{
    if (!d || __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    yaml_document_delete(&d->doc);
    free(d->file);
    free(d);
}

/* Contract in yaml.h. */
yaml_node_t *evm__ydoc_root(const evm__ydoc *d)
{
    return yaml_document_get_root_node((yaml_document_t *)&d->doc);
}

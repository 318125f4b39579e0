/* Reading JSON Lines of {"id", "text"} objects in bounded memory (for
 * evmap geoparse --batch and the extract command). Private. */
#ifndef EVM_GP_JSONL_H
#define EVM_GP_JSONL_H

#include <stdio.h>

#include "evmap.h"

struct gp_jsonl {
    FILE *in;
    size_t max;           /* longest line accepted */
    char *line;           /* the current line */
    size_t len, cap;
    unsigned long line_no;/* number of the line read last (1-based) */
    char *text;           /* decoded "text" (UTF-8, NUL-terminated) */
    size_t text_len, text_cap;
    char id[512];         /* the "id" value as JSON (string or number), or
                             "" when absent */
};

void gp_jsonl_init(struct gp_jsonl *j, FILE *in, size_t max);
void gp_jsonl_free(struct gp_jsonl *j);
/* Reads the next non-blank line. 1: an object was read; 0: end of input;
 * -1: err set to "LINE: what is wrong" (a line that is not a JSON object,
 * has no "text" string, is not UTF-8, or is over max bytes) or an I/O
 * error. */
int gp_jsonl_next(struct gp_jsonl *j, evm_error *err);
/* Parses one JSON object from s[0..n) into j's text and id (exposed for
 * the fuzz target). 0 or -1 with err ("what is wrong"). */
int gp_jsonl_parse(struct gp_jsonl *j, const char *s, size_t n,
                   evm_error *err);

#endif

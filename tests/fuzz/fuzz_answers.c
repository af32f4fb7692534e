/* libFuzzer harness: any bytes as an answer file, a /set and a LOB plan CSV are applied or refused
 * cleanly with a key named; what is applied and exported must read back to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/lob/lob.h"

#define FUZZ_NOW 1790000000

/* The column titles and names of the LOB page, as "T<id>" (the unit tests' stand-in). */
static char *fuzz_text(void *user, unsigned id, const char *arg)
{
    char *s = malloc(16);
    (void)user;
    (void)arg;
    if (s)
        snprintf(s, 16, "T%u", id);
    return s;
}

/* A refusal names a message and is terminated; an acceptance leaves err alone. */
static void check_error(sp_status st, const sp_answers_error *err)
{
    if (st == SP_OK || st == SP_ERR_NOMEM)
        return;
    if (st != SP_ERR_BADDATA || !err->msg_id || !memchr(err->key, 0, sizeof err->key) ||
        !memchr(err->value, 0, sizeof err->value) || !memchr(err->allowed, 0, sizeof err->allowed) ||
        !memchr(err->column, 0, sizeof err->column))
        abort();
}

static char *apply_and_export(const char *json, size_t len, int must_apply)
{
    sp_state *st = sp_state_new(FUZZ_NOW);
    sp_answers *a = sp_answers_new();
    sp_answers_error err;
    sp_status s;
    char *out = NULL;
    if (!st || !a)
        abort();
    s = sp_answers_add_json(a, json, len, &err);
    check_error(s, &err);
    if (s == SP_OK) {
        s = sp_answers_apply(a, st, FUZZ_NOW, &err);
        check_error(s, &err);
    }
    if (s != SP_OK && must_apply)
        abort(); /* what we export we must be able to read */
    if (s == SP_OK)
        out = sp_answers_export(st);
    sp_answers_free(a);
    sp_state_free(st);
    return out;
}

static void fuzz_set(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    sp_answers *a = sp_answers_new();
    sp_state *st = sp_state_new(FUZZ_NOW);
    sp_answers_error err;
    sp_status s;
    if (!text || !a || !st)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    s = sp_answers_add_set(a, text, &err);
    check_error(s, &err);
    if (s == SP_OK) {
        check_error(sp_answers_apply(a, st, FUZZ_NOW, &err), &err);
        free(sp_answers_export(st));
    }
    sp_state_free(st);
    sp_answers_free(a);
    free(text);
}

static char *csv_round(const char *csv, size_t len, int must_apply)
{
    sp_state *st = sp_state_new(FUZZ_NOW);
    sp_answers_error err;
    size_t rows = 0;
    char *out = NULL;
    sp_status s;
    if (!st)
        abort();
    s = sp_answers_apply_lob_csv(st, csv, len, fuzz_text, NULL, FUZZ_NOW, &rows, &err);
    check_error(s, &err);
    if (s != SP_OK && must_apply)
        abort();
    if (s == SP_OK) {
        if (rows != sp_lob_count(st))
            abort(); /* on a state without inventory, every row is an entry of its own */
        out = sp_lob_export_csv(st, fuzz_text, NULL);
    }
    sp_state_free(st);
    return out;
}

/* What once accepts and writes, once must read back to the same bytes. */
static void round_trip(char *(*once)(const char *, size_t, int), const uint8_t *data, size_t size)
{
    char *first = once((const char *)data, size, 0), *second;
    if (!first)
        return;
    second = once(first, strlen(first), 1);
    if (!second || strcmp(first, second) != 0)
        abort();
    free(first);
    free(second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    round_trip(apply_and_export, data, size);
    fuzz_set(data, size);
    round_trip(csv_round, data, size);
    return 0;
}

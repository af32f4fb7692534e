/* libFuzzer harness: the CSV reader (and the schtasks parser on top of it) must accept or reject
 * any bytes without crashing or leaking; whatever it accepts, written again by the CSV writer and
 * read back, must give the same rows and fields. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/csv.h"
#include "core/lob/lob.h"

static int count_task(void *user, const sp_lob_task *task)
{
    (*(size_t *)user) += strlen(task->name) + strlen(task->command) + strlen(task->author);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_csv csv, again;
    sp_csv_writer w = {0};
    char err[200];
    size_t seen = 0;

    (void)sp_lob_parse_schtasks((const char *)data, size, count_task, &seen, err, sizeof err);
    if (sp_csv_parse((const char *)data, size, &csv, err, sizeof err) != SP_OK)
        return 0;
    for (size_t r = 0; r < csv.count; r++) {
        for (size_t f = 0; f < csv.rows[r].count; f++)
            sp_csv_field(&w, csv.rows[r].fields[f]);
        sp_csv_end_row(&w);
    }
    if (w.failed)
        abort();
    if (sp_csv_parse(w.data ? w.data : "", w.len, &again, err, sizeof err) != SP_OK)
        abort(); /* what we write we must be able to read */
    /* Fields that contain NUL cannot occur (the reader refuses NUL), so strcmp is exact. */
    if (again.count != csv.count)
        abort();
    for (size_t r = 0; r < csv.count; r++) {
        if (again.rows[r].count != csv.rows[r].count)
            abort();
        for (size_t f = 0; f < csv.rows[r].count; f++)
            if (strcmp(again.rows[r].fields[f], csv.rows[r].fields[f]) != 0)
                abort();
    }
    sp_csv_free(&again);
    free(w.data);
    /* Written with ';' and formula-safe, read back with ';': the same fields once the
     * neutralising quote is taken off (issue 20). */
    memset(&w, 0, sizeof w);
    w.separator = ';';
    w.formula_safe = 1;
    for (size_t r = 0; r < csv.count; r++) {
        for (size_t f = 0; f < csv.rows[r].count; f++)
            sp_csv_field(&w, csv.rows[r].fields[f]);
        sp_csv_end_row(&w);
    }
    if (w.failed ||
        sp_csv_parse_with(w.data ? w.data : "", w.len, ';', &again, err, sizeof err) != SP_OK ||
        again.count != csv.count)
        abort();
    for (size_t r = 0; r < csv.count; r++) {
        if (again.rows[r].count != csv.rows[r].count)
            abort();
        for (size_t f = 0; f < csv.rows[r].count; f++) {
            const char *cell = again.rows[r].fields[f];
            if (strchr("=+-@", cell[0]) && cell[0])
                abort(); /* a formula got through */
            if (strcmp(sp_csv_formula_plain(cell), csv.rows[r].fields[f]) != 0)
                abort();
        }
    }
    sp_csv_free(&again);
    sp_csv_free(&csv);
    free(w.data);
    return 0;
}

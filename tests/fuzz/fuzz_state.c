/* libFuzzer harness: the state parser must reject or accept any bytes without crashing or leaking,
 * and whatever it accepts must serialise and parse again to the same document. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_state *st = NULL, *again = NULL;
    char *json, *json2;
    if (sp_state_parse((const char *)data, size, 1790000000, &st) != SP_OK)
        return 0;
    json = sp_state_serialise(st);
    if (json) {
        if (sp_state_parse(json, strlen(json), 1790000000, &again) != SP_OK)
            abort(); /* what we write we must be able to read */
        json2 = sp_state_serialise(again);
        if (!json2 || strcmp(json, json2) != 0)
            abort();
        free(json2);
        sp_state_free(again);
    }
    for (size_t i = 0; i < sp_step_count; i++)
        (void)sp_state_gate_open(st, sp_steps[i]->id, 1790000000);
    free(json);
    sp_state_free(st);
    return 0;
}

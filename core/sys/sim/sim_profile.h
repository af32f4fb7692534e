/* What the parts of the sim's profile reader share (sim_profile*.c): the error context and field readers. */
#ifndef SP_SIM_PROFILE_H
#define SP_SIM_PROFILE_H

#include "core/sys/sim/sim_internal.h"

struct cJSON;

#define PROF_TYPES "sz, expand_sz, multi_sz, dword, qword or binary"
#define PROF_STATES "stopped, running, paused, start_pending or stop_pending"
#define PROF_STARTS "boot, system, auto, demand or disabled"

/* Where a reader's error message goes. */
typedef struct {
    char *err;
    size_t errlen;
} prof_ctx;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
sp_status prof_fail(prof_ctx *c, sp_status st, const char *fmt, ...);
#define PROF_NOMEM(c) prof_fail((c), SP_ERR_NOMEM, "out of memory reading the profile")

/* A JSON number that must be whole and in [lo, hi); what names it in the message. */
sp_status prof_number(prof_ctx *c, const struct cJSON *item, const char *what, double lo,
                      double hi, const char *range, double *out);
sp_status prof_unsigned(prof_ctx *c, const struct cJSON *item, const char *what, unsigned *out);
sp_status prof_string(prof_ctx *c, const struct cJSON *item, const char *what, const char **out);
const char *prof_key_name(const struct cJSON *item);
/* Hex bytes as regedit exports them or packed: "00ff10", "00 ff 10" and "00,ff,10"; *out is heap. */
sp_status prof_hex(prof_ctx *c, const char *where, const char *hex, unsigned char **out, size_t *size);

/* The sections (sim_profile_reg.c, sim_profile_world.c). */
sp_status prof_registry(prof_ctx *c, const char *section, const struct cJSON *obj,
                        sim_registry *reg);
sp_status prof_services(prof_ctx *c, const struct cJSON *obj, sim_profile *p);
sp_status prof_processes(prof_ctx *c, const struct cJSON *arr, sim_profile *p);
sp_status prof_files(prof_ctx *c, const struct cJSON *obj, sim_profile *p);
sp_status prof_ntp(prof_ctx *c, const struct cJSON *obj, sim_profile *p);

#endif

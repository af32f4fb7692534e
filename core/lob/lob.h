/* LOB planning: the inventory of applications, services and tasks, the user's marks and the
 * migration plan of each line-of-business entry, kept in the step's state data. */
#ifndef SP_LOB_H
#define SP_LOB_H

#include <stddef.h>
#include <stdint.h>

#include "core/report.h"
#include "core/state.h"
#include "core/step.h"

struct cJSON;

/* What an inventory entry is, as far as migration planning is concerned. */
typedef enum {
    SP_LOB_CAT_LOB = 0,   /* a third-party application: suggested as line-of-business */
    SP_LOB_CAT_DATABASE,  /* a database engine a third-party application uses: suggested */
    SP_LOB_CAT_ADDIN,     /* an SBS 2011 Essentials Dashboard add-in: suggested, needs updating */
    SP_LOB_CAT_UTILITY,   /* antivirus, backup agents, tools: listed, not suggested */
    SP_LOB_CAT_DRIVER,    /* drivers and printer software */
    SP_LOB_CAT_RUNTIME,   /* runtimes and redistributables */
    SP_LOB_CAT_MICROSOFT, /* Windows, SBS, Exchange and other Microsoft components: hidden */
    SP_LOB_CAT_UPDATE,    /* updates, hotfixes and service packs: hidden */
    SP_LOB_CAT_COUNT
} sp_lob_category;

const char *sp_lob_category_name(sp_lob_category c); /* "lob", "database", ... */
sp_lob_category sp_lob_category_from_name(const char *name); /* unknown: SP_LOB_CAT_UTILITY */
int sp_lob_category_suggested(sp_lob_category c);
int sp_lob_category_hidden(sp_lob_category c); /* grouped away by default */

/* ---- Classification (pure) ---------------------------------------------------------- */

/* An Uninstall entry by its display name, publisher, key name and release type. */
sp_lob_category sp_lob_classify_app(const char *name, const char *publisher, const char *key,
                                    const char *release_type);
/* 1 when text names one of Microsoft's line-of-business products (Dynamics GP/NAV/CRM/SL,
 * Office Accounting, Business Contact Manager...): these are suggested, never hidden. */
int sp_lob_is_microsoft_lob(const char *text);
/* A service by its name and executable (from sp_lob_image_exe). */
sp_lob_category sp_lob_classify_service(const char *name, const char *exe);
/* A scheduled task by the program it runs. */
sp_lob_category sp_lob_classify_task(const char *exe);

/* The executable of an ImagePath or a task's command: quotes and arguments removed,
 * %SystemRoot%/%windir%, "\SystemRoot\" and "system32\..." resolved against windir.
 * Gives "" for an empty command. */
void sp_lob_image_exe(const char *image, const char *windir, char *out, size_t outlen);
/* Is path inside the folder dir (ASCII case-insensitive, whole components)? */
int sp_lob_path_under(const char *path, const char *dir);

/* One task from schtasks output. */
typedef struct {
    const char *name;    /* "\Backup QuickBooks" or "Backup QuickBooks" */
    const char *command; /* "Task To Run" */
    const char *author;  /* "Author" or "Creator", "" when absent */
} sp_lob_task;
typedef int (*sp_lob_task_cb)(void *user, const sp_lob_task *task);
/* Parses `schtasks /query /fo csv /v` (2003 and later): columns found by header name, repeated
 * headers skipped. SP_ERR_BADDATA (reason in err) when it is not that output. */
sp_status sp_lob_parse_schtasks(const char *text, size_t len, sp_lob_task_cb cb, void *user,
                                char *err, size_t errlen);

/* ---- The plan (pure, on the state data) ------------------------------------------------ */

typedef enum {
    SP_LOB_METHOD_NONE = 0,
    SP_LOB_METHOD_REINSTALL, /* reinstall on the Destination Server */
    SP_LOB_METHOD_VENDOR,    /* vendor-assisted migration */
    SP_LOB_METHOD_HOSTED,    /* move to a hosted service */
    SP_LOB_METHOD_RETIRE,    /* retire */
    SP_LOB_METHOD_COUNT
} sp_lob_method;

const char *sp_lob_method_name(sp_lob_method m); /* "", "reinstall", "vendor", "hosted", "retire" */
sp_lob_method sp_lob_method_from_name(const char *name);

/* The user's plan for one entry; every text is UTF-8, "" when not given. */
typedef struct {
    const char *contact, *phone, *email;
    sp_lob_method method;
    const char *media;   /* a path or a URL */
    const char *licence, *data, *notes;
    int media_checked;   /* media was a path and was looked at */
    int media_found;
    uint64_t media_size; /* bytes, when found */
} sp_lob_plan;

typedef enum {
    SP_LOB_PLAN_NOT_LOB = 0, /* not marked: needs no plan */
    SP_LOB_PLAN_COMPLETE,
    SP_LOB_PLAN_NEEDS_METHOD,
    SP_LOB_PLAN_NEEDS_MEDIA
} sp_lob_plan_status;

/* The entries array of the step's data (created when missing; NULL when out of memory). */
struct cJSON *sp_lob_entries(sp_state *st);
size_t sp_lob_count(const sp_state *st);
/* The entry of an entries array with that id, or NULL. */
struct cJSON *sp_lob_find(struct cJSON *entries, const char *id);
/* Entry fields, "" when absent. */
const char *sp_lob_text(const struct cJSON *entry, const char *field);
int sp_lob_marked(const struct cJSON *entry);
sp_status sp_lob_set_marked(struct cJSON *entry, int marked);
sp_lob_category sp_lob_entry_category(const struct cJSON *entry);
/* The plan of entry; the strings point into the entry and live until it changes. */
void sp_lob_get_plan(const struct cJSON *entry, sp_lob_plan *out);
sp_status sp_lob_set_plan(struct cJSON *entry, const sp_lob_plan *plan);
/* The gate's rule for one entry: a method, and a media location unless retired or hosted. */
sp_lob_plan_status sp_lob_entry_status(const struct cJSON *entry);

/* Findings and result of the plan as it stands (no OS access): PASSED when every entry marked
 * line-of-business has a complete plan (or none is marked), else FAILED. */
sp_status sp_lob_assess(const struct cJSON *data, sp_findings *out, sp_result *result);
/* The user's statement that this server runs no line-of-business application (kept in the
 * step's data as "no_lob_confirmed"). With no entry marked, the step passes only with it, and
 * shows it as the user's statement. */
int sp_lob_none_confirmed(const struct cJSON *data);
sp_status sp_lob_confirm_none(sp_state *st, int confirmed, int64_t now);
/* The reason of the mark by hand the statement gives (the report shows it as the user's). */
#define SP_LOB_NONE_REASON "Stated by the user: this server runs no line-of-business application"
/* Removes that mark when r shows the statement is no longer what the step rests on. */
void sp_lob_statement_settle(sp_state *st, sp_result r);
/* Assesses the plan and records the outcome as the step's result (after an edit). */
sp_status sp_lob_reassess(sp_state *st, int64_t now);

/* The plan as CSV (UTF-8 with BOM, RFC 4180): one row per entry marked line-of-business.
 * Column titles and method names come from text (IDs of core/msgids.h). Heap; NULL when out
 * of memory. */
char *sp_lob_export_csv(const sp_state *st, sp_text_fn text, void *user);
/* The same with the user's list separator (LOCALE_SLIST: ';' in Germany) between fields. Cells
 * starting with =, +, - or @ get a leading ' (the import takes it off again). */
char *sp_lob_export_csv_with(const sp_state *st, sp_text_fn text, void *user, char separator);

/* ---- With the OS ------------------------------------------------------------------------ */

typedef struct {
    int is_url;       /* http://, https://, ftp://: not checked */
    int exists, is_dir;
    uint64_t size;    /* the file, or the files under the folder */
    unsigned files;   /* counted under a folder */
    int partial;      /* the folder was too big to count whole: size is a lower bound */
} sp_lob_media;

/* Looks at an install media location: a file's size, or a folder's total (at most
 * SP_LOB_MEDIA_MAX_FILES files). A missing path is SP_OK with exists = 0. */
#define SP_LOB_MEDIA_MAX_FILES 20000
sp_status sp_lob_media_probe(sp_sys *sys, const char *path, sp_lob_media *out);
/* The same on a worker: polls ctx's cancel (SP_ERR_CANCELLED) and reports progress as the
 * count of files looked at, in permille of the budget. */
sp_status sp_lob_media_probe_run(sp_run_ctx *ctx, const char *path, sp_lob_media *out);

/* Merges a fresh inventory (an array of entries, consumed) into the state data: marks and
 * plans carry over by entry id; a marked entry no longer found is kept with present = false. */
sp_status sp_lob_merge(sp_state *st, struct cJSON *fresh, int64_t now);

#endif

/* Which step pages the GUI test walks with a walker of their own (tests/gui/walk_<page>.c, one
 * line each here). A page not listed is walked by gui_walk_manual: gate closed, checklist, mark. */
#include <stddef.h>

#include "tests/gui/gui.h"

const gui_walker gui_walkers[] = {
    {"policy", gui_walk_policy},
    {"timesync", gui_walk_timesync},
    {"lob", gui_walk_lob},
    {"email", gui_walk_email},
    {"backup", gui_walk_backup},
    {"updates", gui_walk_updates},
    {"health", gui_walk_health},
    {NULL, NULL},
};

const gui_page_fn gui_extra_runs[] = {
    gui_run_policy_not_applicable,
    gui_run_updates_sp_missing,
    gui_run_backup_volume_missing,
    gui_run_updates_search_cancelled,
    NULL,
};

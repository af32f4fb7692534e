/* Which step pages the GUI test walks with a walker of their own (tests/gui/walk_<page>.c, one
 * line each here). A page not listed is walked by gui_walk_manual: gate closed, checklist, mark. */
#include <stddef.h>

#include "tests/gui/gui.h"

const gui_walker gui_walkers[] = {
    {"backup", gui_walk_backup},
    {NULL, NULL},
};

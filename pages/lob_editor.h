/* The LOB plan editor (pages/lob_editor.c): one entry's plan in a modal box. */
#ifndef SP_LOB_EDITOR_H
#define SP_LOB_EDITOR_H

#include <windows.h>

#include "pages/host.h"

struct cJSON;

/* Edits entry's plan; TRUE when the user saved it (OK), FALSE when cancelled. */
BOOL sp_lob_edit_plan(sp_page_host *host, HWND owner, struct cJSON *entry);

#endif

/* Control helpers every page shares: list views, boxes, the save dialog, UTF-8 edit text, fonts. */
#ifndef SP_UI_CONTROLS_H
#define SP_UI_CONTROLS_H

#include <windows.h>
#include <commctrl.h>

#include "pages/host.h"

/* Sets up a report list view with columns from string IDs and widths in percent. */
void sp_listview_columns(HWND lv, HINSTANCE hinst, const UINT *ids, const int *percent, int n);
/* Sets the columns' widths in percent of the list's width, room kept for its scroll bar. */
void sp_listview_fit(HWND lv, const int *percent, int n);
/* Adds a row; image is an index in the list's small image list, or -1. */
int sp_listview_add(HWND lv, int row, int image, const wchar_t *const *cells, int n);
/* Information, warning and error icons, indexed by sp_severity; the frame destroys them. */
HIMAGELIST sp_severity_images(sp_page_host *h);
/* A bold, larger font for the titles of Welcome and Finish; the frame destroys it. */
HFONT sp_title_font(sp_page_host *h, HWND like);
/* Asks where to save a file (filter: a string ID with '|' separators); heap UTF-8 path, or
 * NULL when the user cancelled. */
char *sp_ask_save_path(HWND owner, HINSTANCE hinst, UINT filter_id, const wchar_t *name,
                       const wchar_t *ext);
/* Yes/No with No the default, captioned with the application's title: TRUE for Yes. */
BOOL sp_confirm(HWND owner, HINSTANCE hinst, const wchar_t *text);
/* A box captioned with the application's title; type is MB_ICON* (MB_OK is added). */
void sp_tell(HWND owner, HINSTANCE hinst, UINT type, const wchar_t *text);
/* A control's text in UTF-8 (heap; NULL only when out of memory), and the other way. */
char *sp_get_text_u8(HWND dlg, int id);
void sp_set_text_u8(HWND dlg, int id, const char *text);

#endif

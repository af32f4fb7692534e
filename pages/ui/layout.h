/* A step page's layout at run time: one list takes the height the other controls leave, the
 * controls below it keep their distance from the page's bottom, and a block at the bottom (the
 * manual path) can be folded away, the controls above it moving down into its room. */
#ifndef SP_UI_LAYOUT_H
#define SP_UI_LAYOUT_H

#include <windows.h>

#define SP_LAYOUT_MAX 32

typedef struct {
    int id;
    RECT r;      /* in the template, page pixels */
    int folding; /* part of the block that folds away */
} sp_layout_ctl;

typedef struct {
    int stretch_id;   /* the list; 0 when the page has none (no layout) */
    int twin_id;      /* another control shown in the list's place (0: none) */
    RECT stretch;     /* the list in the template */
    int height;       /* the page's client height in the template */
    int gap;          /* between the list and the first control below it */
    int fold;         /* how far the controls below the list move when the block is folded */
    int count;
    sp_layout_ctl below[SP_LAYOUT_MAX]; /* every control below the list */
} sp_layout;

/* Reads the template's layout on WM_INITDIALOG: the list stretch_id (and twin_id, 0 for none),
 * the block of the folding_ids at the bottom. */
void sp_layout_init(sp_layout *l, HWND dlg, int stretch_id, int twin_id, const int *folding_ids,
                    int nfolding);
/* Lays the page out for its present size, with the folding block shown or folded. Shows and
 * hides nothing: the caller shows the block's controls it wants. */
void sp_layout_apply(const sp_layout *l, HWND dlg, BOOL block_shown);
/* Moves the controls below the list whose top is in [from, to) (page pixels, as laid out now)
 * down by dy, and the list's bottom with them: the list takes the room of controls a page hides. */
void sp_layout_shift_below(HWND dlg, int stretch_id, int from, int to, int dy);

#endif

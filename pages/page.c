/* The page context, the page table (from core/step_list.h), and the worker's job record. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdlib.h>

#include "pages/messages.h"
#include "pages/pages.h"

extern const sp_page_desc sp_page_welcome, sp_page_finish;
#define PAGE_DECL(id) extern const sp_page_desc sp_page_##id;
SP_STEP_LIST(PAGE_DECL)
#define PAGE_REF(id) &sp_page_##id,
static const sp_page_desc *const step_pages[SP_STEP_COUNT] = {SP_STEP_LIST(PAGE_REF)};

const sp_page_desc *sp_page_at(size_t i)
{
    if (i == 0)
        return &sp_page_welcome;
    if (i <= SP_STEP_COUNT)
        return step_pages[i - 1];
    return i == SP_PAGE_COUNT - 1 ? &sp_page_finish : NULL;
}

sp_page *sp_page_init(HWND hwnd, LPARAM lparam)
{
    const PROPSHEETPAGEW *psp = (const PROPSHEETPAGEW *)lparam;
    sp_page *p = (sp_page *)psp->lParam;
    HWND sheet = GetParent(hwnd);
    p->hwnd = hwnd;
    SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)p);
    /* Pages are made when first shown: the first one made gives the frame its icons. */
    if (p->host->icon && !SendMessageW(sheet, WM_GETICON, ICON_SMALL, 0)) {
        SendMessageW(sheet, WM_SETICON, ICON_BIG, (LPARAM)p->host->icon);
        SendMessageW(sheet, WM_SETICON, ICON_SMALL, (LPARAM)p->host->icon);
    }
    if (p->host->ops->page_made)
        p->host->ops->page_made(p->host, hwnd);
    return p;
}

sp_page *sp_page_get(HWND hwnd)
{
    return (sp_page *)GetWindowLongPtrW(hwnd, DWLP_USER);
}

void sp_page_buttons(sp_page *p, DWORD buttons)
{
    if (p->active)
        PropSheet_SetWizButtons(GetParent(p->hwnd), buttons);
}

HWND sp_page_owner(const sp_page *p)
{
    return GetParent(p->hwnd);
}

void sp_job_free(sp_job *job)
{
    if (!job)
        return;
    sp_findings_free(&job->findings);
    if (job->free_arg)
        job->free_arg(job->arg);
    free(job);
}

void sp_job_drain(HWND hwnd)
{
    MSG m;
    while (PeekMessageW(&m, hwnd, WM_SP_PROGRESS, WM_SP_DONE, PM_REMOVE)) {
        if (m.message == WM_SP_DONE)
            sp_job_free((sp_job *)m.lParam);
        else
            free((void *)m.lParam);
    }
}

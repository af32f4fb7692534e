/* Builds the wizard from the page table and runs it: Wizard97 on 2003, Aero where the OS has it. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>
#include <shlwapi.h>

#include <stdlib.h>
#include <string.h>

#include "core/step_table.h"
#include "pages/pages.h"
#include "pages/ui/text.h"
#include "resources/resource.h"
#include "wizard/app.h"

#ifndef PSH_AEROWIZARD
#define PSH_AEROWIZARD 0x00004000
#endif

/* comctl32 6 on Vista or later: the only combination that draws an Aero wizard. */
static int want_aero(const sp_app *app)
{
    typedef HRESULT(CALLBACK * dllgetversion_fn)(DLLVERSIONINFO *);
    OSVERSIONINFOW v = {sizeof v};
    DLLVERSIONINFO dvi = {sizeof dvi};
    HMODULE cc = GetModuleHandleW(L"comctl32.dll");
    dllgetversion_fn get = cc ? (dllgetversion_fn)(void (*)(void))GetProcAddress(cc, "DllGetVersion") : NULL;

    if (app->cl.style == SP_STYLE_WIZARD97)
        return 0;
    if (!get || FAILED(get(&dvi)) || dvi.dwMajorVersion < 6)
        return 0;
    if (app->cl.style == SP_STYLE_AERO)
        return 1;
    GetVersionExW(&v);
    return v.dwMajorVersion >= 6;
}

static int start_page(const sp_app *app)
{
    const char *want = app->cl.page[0] ? app->cl.page : app->session.state->page;
    for (size_t i = 0; i < SP_PAGE_COUNT; i++)
        if (_stricmp(sp_page_at(i)->id, want) == 0)
            return (int)i;
    return 0;
}

int sp_sheet_run(sp_app *app)
{
    sp_page pages[SP_PAGE_COUNT];
    HPROPSHEETPAGE handles[SP_PAGE_COUNT];
    /* The headers' texts in the wizard's language: the sheet would load an ID in the thread's. */
    wchar_t *headers[SP_PAGE_COUNT][2];
    PROPSHEETHEADERW psh = {0};
    wchar_t *caption;
    INT_PTR rc = -1;

    memset(pages, 0, sizeof pages);
    memset(headers, 0, sizeof headers);
    app->aero = want_aero(app);
    sp_app_host_init(app);
    for (size_t i = 0; i < SP_PAGE_COUNT; i++) {
        const sp_page_desc *d = sp_page_at(i);
        int step = i >= 1 && i <= SP_STEP_COUNT ? (int)i - 1 : -1;
        PROPSHEETPAGEW psp = {0};
        pages[i].host = &app->pages;
        pages[i].desc = d;
        pages[i].index = step;
        pages[i].step = step >= 0 ? sp_steps[step] : NULL;
        if (!d || (step >= 0 && strcmp(d->id, sp_steps[step]->id) != 0))
            goto done; /* the page table and the step table disagree */
        psp.dwSize = sizeof psp;
        psp.hInstance = app->hinst;
        /* The page's dialog in the wizard's language, given as a template: with an ID the sheet
         * would take the one of the thread's locale. */
        psp.pResource = sp_dialog_template(app->hinst, d->template_id);
        if (!psp.pResource)
            goto done;
        psp.pfnDlgProc = d->proc ? d->proc : sp_step_page_proc;
        psp.lParam = (LPARAM)&pages[i];
        if (d->exterior) {
            psp.dwFlags = PSP_DLGINDIRECT | PSP_HIDEHEADER;
        } else {
            psp.dwFlags = PSP_DLGINDIRECT | PSP_USEHEADERTITLE | PSP_USEHEADERSUBTITLE;
            headers[i][0] = sp_load(app->hinst, IDS_STEP_TITLE(step));
            headers[i][1] = sp_load(app->hinst, IDS_STEP_SUBTITLE(step));
            psp.pszHeaderTitle = headers[i][0] ? headers[i][0] : L"";
            psp.pszHeaderSubTitle = headers[i][1] ? headers[i][1] : L"";
        }
        handles[i] = CreatePropertySheetPageW(&psp);
        if (!handles[i])
            goto done;
    }
    caption = sp_load(app->hinst, app->simulated ? IDS_DEMO_CAPTION : IDS_SHEET_CAPTION);
    psh.dwSize = sizeof psh;
    psh.dwFlags = PSH_WIZARD97 | PSH_USEHICON;
    if (app->aero)
        psh.dwFlags = (psh.dwFlags & ~PSH_WIZARD97) | PSH_AEROWIZARD;
    psh.hInstance = app->hinst;
    psh.hIcon = app->pages.icon;
    psh.pszCaption = caption;
    psh.nPages = SP_PAGE_COUNT;
    psh.nStartPage = (UINT)start_page(app);
    psh.phpage = handles;
    sp_app_mark(app, SP_MARK_SHEET);
    rc = PropertySheetW(&psh);
    free(caption);
    sp_worker_cancel(&app->worker);
    sp_worker_join(&app->worker);
    sp_app_shown(app, TRUE); /* the start-up's log line, when a job kept it waiting */
done:
    for (size_t i = 0; i < SP_PAGE_COUNT; i++) {
        free(headers[i][0]);
        free(headers[i][1]);
    }
    if (rc < 0)
        return SP_EXIT_CANNOT_RUN;
    /* Finish means every gate was passed; Cancel leaves the work for later. */
    for (size_t i = 0; i < sp_step_count; i++)
        if (!sp_state_gate_open(app->session.state, sp_steps[i]->id,
                                app->sys->ops->time_now(app->sys)))
            return SP_EXIT_NOT_READY;
    return SP_EXIT_OK;
}

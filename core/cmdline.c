/* The command line, Windows style: /x and -x alike, /name:value, case-insensitive. */
#include "core/cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msgids.h"
#include "core/step.h"
#include "core/base/strutil.h"

/* Says what was wrong: the string-table text id with a1 as %1 and a2 as %2 (NULL: none). */
static sp_status refuse(sp_cmdline *cl, unsigned id, const char *a1, const char *a2)
{
    cl->error_id = id;
    snprintf(cl->error, sizeof cl->error, "%.200s", a1 ? a1 : "");
    snprintf(cl->error2, sizeof cl->error2, "%s", a2 ? a2 : "");
    return SP_ERR_INVALID;
}

static int take_value(const char *arg, const char *name, char *out, size_t outlen,
                      sp_cmdline *cl, int *matched)
{
    size_t n = strlen(name);
    *matched = 0;
    if (sp_strnicmp(arg, name, n) != 0 || (arg[n] != ':' && arg[n] != '='))
        return 1;
    *matched = 1;
    if (!arg[n + 1]) {
        refuse(cl, IDS_CLI_NEEDS_VALUE, name, NULL);
        return 0;
    }
    if (strlen(arg + n + 1) >= outlen) {
        refuse(cl, IDS_CLI_VALUE_TOO_LONG, name, NULL);
        return 0;
    }
    sp_strlcpy(out, arg + n + 1, outlen);
    return 1;
}

int sp_cmdline_unattended(const sp_cmdline *cl)
{
    return cl->step[0] || cl->check_all || cl->report[0] || cl->undo || cl->answers[0] ||
           cl->set_count || cl->lob_plans[0] || cl->export_answers[0];
}

static const char *const flags[] = {"?", "h", "help", "demo", "check", "apply", "undo", "yes"};

sp_status sp_cmdline_parse(int argc, const char *const *argv, sp_cmdline *cl)
{
    char style[16] = "", check[24] = "", apply[24] = "", mark[24] = "";
    memset(cl, 0, sizeof *cl);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int m = 0, known = 0;
        if (a[0] != '/' && a[0] != '-') {
            return refuse(cl, IDS_CLI_UNEXPECTED_ARG, a, NULL);
        }
        a++;
        if (a[0] == '-')
            a++; /* --help as well */
        for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
            if (sp_stricmp(a, flags[f]) != 0)
                continue;
            known = 1;
            switch (f) {
            case 0: case 1: case 2: cl->help = 1; break;
            case 3: cl->demo = 1; break;
            case 4: cl->check = 1; break;
            case 5: cl->apply = 1; break;
            case 6: cl->undo = 1; break;
            case 7: cl->yes = 1; break;
            }
        }
        if (known)
            continue;
        if (!take_value(a, "profile", cl->profile, sizeof cl->profile, cl, &m) ||
            (!m && !take_value(a, "root", cl->root, sizeof cl->root, cl, &m)) ||
            (!m && !take_value(a, "step", cl->step, sizeof cl->step, cl, &m)) ||
            (!m && !take_value(a, "report", cl->report, sizeof cl->report, cl, &m)) ||
            (!m && !take_value(a, "page", cl->page, sizeof cl->page, cl, &m)) ||
            (!m && !take_value(a, "style", style, sizeof style, cl, &m)) ||
            (!m && !take_value(a, "lang", cl->lang, sizeof cl->lang, cl, &m)) ||
            (!m && !take_value(a, "check", check, sizeof check, cl, &m)) ||
            (!m && !take_value(a, "apply", apply, sizeof apply, cl, &m)) ||
            (!m && !take_value(a, "mark", mark, sizeof mark, cl, &m)) ||
            (!m && !take_value(a, "reason", cl->reason, sizeof cl->reason, cl, &m)) ||
            (!m && !take_value(a, "ldap", cl->ldap_host, sizeof cl->ldap_host, cl, &m)) ||
            (!m && !take_value(a, "ldapuser", cl->ldap_user, sizeof cl->ldap_user, cl, &m)) ||
            (!m && !take_value(a, "answers", cl->answers, sizeof cl->answers, cl, &m)) ||
            (!m && !take_value(a, "export-answers", cl->export_answers, sizeof cl->export_answers, cl, &m)) ||
            (!m && !take_value(a, "lob-plans", cl->lob_plans, sizeof cl->lob_plans, cl, &m)))
            return SP_ERR_INVALID;
        if (!m && sp_strnicmp(a, "set", 3) == 0 && (a[3] == ':' || a[3] == '=')) {
            if (cl->set_count == SP_CMDLINE_MAX_SETS) {
                char n[8];
                snprintf(n, sizeof n, "%d", SP_CMDLINE_MAX_SETS);
                return refuse(cl, IDS_CLI_TOO_MANY_SETS, n, NULL);
            }
            if (!take_value(a, "set", cl->sets[cl->set_count], sizeof cl->sets[0], cl, &m))
                return SP_ERR_INVALID;
            cl->set_count++;
        }
        if (!m && sp_strnicmp(a, "undo:force=", 11) == 0) {
            char *end = NULL;
            unsigned long seq = strtoul(a + 11, &end, 10);
            if (a[11] < '1' || a[11] > '9' || *end || seq > 999999999ul ||
                cl->undo_force_count == SP_CMDLINE_MAX_FORCE) {
                char v[41];
                snprintf(v, sizeof v, "%.40s", a + 11);
                return refuse(cl, IDS_CLI_UNDO_FORCE_BAD, v, NULL);
            }
            cl->undo_force[cl->undo_force_count++] = (unsigned)seq;
            cl->undo = m = 1;
        }
        if (!m) {
            return refuse(cl, IDS_CLI_UNKNOWN_OPTION, argv[i], NULL);
        }
    }
    /* /check:NAME, /apply:NAME and /mark:NAME say the step in one word. */
    if ((check[0] != 0) + (apply[0] != 0) + (mark[0] != 0) > 1 ||
        ((check[0] || apply[0] || mark[0]) && (cl->step[0] || cl->check || cl->apply))) {
        return refuse(cl, IDS_CLI_ONE_STEP_OPTION, NULL, NULL);
    }
    if (sp_stricmp(check, "all") == 0) {
        cl->check_all = 1;
    } else if (check[0]) {
        sp_strlcpy(cl->step, check, sizeof cl->step);
        cl->check = 1;
    } else if (apply[0]) {
        sp_strlcpy(cl->step, apply, sizeof cl->step);
        cl->apply = 1;
    } else if (mark[0]) {
        sp_strlcpy(cl->step, mark, sizeof cl->step);
        cl->mark = 1;
        if (!*sp_skip_space(cl->reason)) {
            return refuse(cl, IDS_CLI_MARK_NEEDS_REASON, mark, NULL);
        }
    }
    if (cl->reason[0] && !cl->mark) {
        return refuse(cl, IDS_CLI_REASON_NEEDS_MARK, NULL, NULL);
    }
    /* Step and page names are matched as typed in any case. */
    for (char *c = cl->step; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    for (char *c = cl->page; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    if (style[0]) {
        if (sp_stricmp(style, "wizard97") == 0)
            cl->style = SP_STYLE_WIZARD97;
        else if (sp_stricmp(style, "aero") == 0)
            cl->style = SP_STYLE_AERO;
        else if (sp_stricmp(style, "auto") != 0) {
            return refuse(cl, IDS_CLI_STYLE_BAD, NULL, NULL);
        }
    }
    if (cl->lang[0]) {
        if (sp_stricmp(cl->lang, "de-DE") == 0)
            sp_strlcpy(cl->lang, "de-DE", sizeof cl->lang);
        else if (sp_stricmp(cl->lang, "en-US") == 0)
            sp_strlcpy(cl->lang, "en-US", sizeof cl->lang);
        else {
            cl->lang[0] = '\0';
            return refuse(cl, IDS_CLI_LANG_BAD, NULL, NULL);
        }
    }
    if (cl->ldap_host[0]) {
        /* HOST:PORT, the port being the digits after the last colon. */
        char *colon = strrchr(cl->ldap_host, ':');
        if (colon) {
            unsigned long port = 0;
            const char *d = colon + 1;
            if (!*d)
                port = 70000;
            for (; *d && port < 70000; d++)
                port = (*d >= '0' && *d <= '9') ? port * 10 + (unsigned long)(*d - '0') : 70000;
            if (port == 0 || port > 65535 || colon == cl->ldap_host) {
                return refuse(cl, IDS_CLI_LDAP_BAD, NULL, NULL);
            }
            cl->ldap_port = (unsigned)port;
            *colon = '\0';
        }
    }
    if (cl->ldap_user[0] && !cl->ldap_host[0]) {
        return refuse(cl, IDS_CLI_LDAPUSER_NEEDS_LDAP, NULL, NULL);
    }
    if (cl->demo && cl->profile[0]) {
        return refuse(cl, IDS_CLI_DEMO_OR_PROFILE, NULL, NULL);
    }
    if (cl->step[0] && !sp_step_find(cl->step)) {
        char list[200] = "";
        for (size_t i = 0; i < sp_step_count; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, sp_steps[i]->id, sizeof list - strlen(list) - 1);
        }
        return refuse(cl, IDS_CLI_NO_STEP, cl->step, list);
    }
    if (cl->step[0] && !cl->mark && cl->check == cl->apply) {
        return refuse(cl, IDS_CLI_STEP_NEEDS_MODE, cl->step, NULL);
    }
    if (!cl->step[0] && (cl->check || cl->apply)) {
        return refuse(cl, IDS_CLI_MODE_NEEDS_STEP, NULL, NULL);
    }
    if (cl->page[0] && sp_stricmp(cl->page, "welcome") != 0 && sp_stricmp(cl->page, "finish") != 0 &&
        !sp_step_find(cl->page)) {
        return refuse(cl, IDS_CLI_NO_PAGE, cl->page, NULL);
    }
    if (cl->undo && (cl->answers[0] || cl->set_count || cl->lob_plans[0] || cl->export_answers[0])) {
        return refuse(cl, IDS_CLI_UNDO_ALONE, NULL, NULL);
    }
    if (cl->root[0] && !cl->demo && !cl->profile[0]) {
        return refuse(cl, IDS_CLI_ROOT_ALONE, NULL, NULL);
    }
    return SP_OK;
}

/* LOB planning: which inventory entries are likely line-of-business, and the parsing behind it. */
#include "core/lob/lob.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/base/csv.h"
#include "core/base/strutil.h"

static const char *const category_names[SP_LOB_CAT_COUNT] = {
    "lob", "database", "addin", "utility", "driver", "runtime", "microsoft", "update"};

const char *sp_lob_category_name(sp_lob_category c)
{
    return (unsigned)c < SP_LOB_CAT_COUNT ? category_names[c] : "utility";
}

sp_lob_category sp_lob_category_from_name(const char *name)
{
    for (int i = 0; name && i < SP_LOB_CAT_COUNT; i++)
        if (strcmp(category_names[i], name) == 0)
            return (sp_lob_category)i;
    return SP_LOB_CAT_UTILITY;
}

int sp_lob_category_suggested(sp_lob_category c)
{
    return c == SP_LOB_CAT_LOB || c == SP_LOB_CAT_DATABASE || c == SP_LOB_CAT_ADDIN;
}

int sp_lob_category_hidden(sp_lob_category c)
{
    return c == SP_LOB_CAT_MICROSOFT || c == SP_LOB_CAT_UPDATE;
}

static int has_any(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (sp_stristr(s, *words))
            return 1;
    return 0;
}

/* SQL Server instances that belong to SBS or Windows itself, not to a third-party application. */
static const char *const system_sql_instances[] = {
    "SBSMONITORING", "SHAREPOINT", "MICROSOFT##SSEE", "MICROSOFT##WID", "WSUS", "SQLEXPRESS_SBS",
    NULL};

static const char *const database_words[] = {
    "SQL Server", "Pervasive", "Actian", "Btrieve", "Firebird", "MySQL", "PostgreSQL", "MariaDB",
    "Sybase", "SQL Anywhere", "Advantage Database", "Progress OpenEdge", NULL};

static const char *const runtime_words[] = {
    "Redistributable", "Runtime", ".NET Framework", "Java", "Visual C++", "Visual J#",
    "MSXML", "Silverlight", "Flash Player", "Shockwave", "Adobe AIR", "Adobe Reader",
    "Acrobat Reader", "Report Viewer", "Native Client", "Compact Framework", "Crystal Reports Basic",
    NULL};

static const char *const driver_words[] = {
    "Driver", "Printer", "Print ", "Scanner", "LaserJet", "OfficeJet", "DeskJet", "HP Universal",
    "Brother", "Canon", "Epson", "Lexmark", "Xerox", "Kyocera", "Ricoh", "Konica", "Sharp MX",
    "Intel(R) PRO", "Broadcom", "Realtek", "NVIDIA", "ATI ", "Matrox", "Chipset", "RAID",
    "PowerChute", "APC ", NULL};

static const char *const utility_words[] = {
    "AntiVirus", "Anti-Virus", "Antivirus", "Endpoint", "Symantec", "McAfee", "Trend Micro",
    "Sophos", "Kaspersky", "ESET", "Norton", "Avast", "AVG ", "Malwarebytes", "Backup Exec",
    "ARCserve", "Acronis", "ShadowProtect", "WinZip", "WinRAR", "7-Zip", "VNC", "TeamViewer",
    "LogMeIn", "Notepad++", "PuTTY", "Firefox", "Google Chrome", "Adobe Acrobat", NULL};

/* Microsoft's own line-of-business products: never hidden among Windows' components. */
static const char *const microsoft_lob_words[] = {
    "Dynamics GP", "Dynamics NAV", "Dynamics CRM", "Dynamics SL", "Dynamics AX", "Great Plains",
    "Navision", "Office Accounting", "Small Business Accounting", "Business Contact Manager",
    "Retail Management System", "Dynamics RMS", NULL};

int sp_lob_is_microsoft_lob(const char *text)
{
    return text && has_any(text, microsoft_lob_words);
}

/* A SQL Server instance is the text in parentheses of the product's name: "(ACT7)". */
static int is_system_sql(const char *name)
{
    const char *open = strrchr(name, '(');
    if (!open)
        return 0;
    for (const char *const *i = system_sql_instances; *i; i++)
        if (sp_strnicmp(open + 1, *i, strlen(*i)) == 0 && open[1 + strlen(*i)] == ')')
            return 1;
    return 0;
}

static int looks_like_kb(const char *key)
{
    const char *k = key ? key : "";
    /* "KB912812", "KB912812-v2", "{GUID}.KB2251487", "Q327696" */
    const char *kb = NULL;
    for (const char *c = k; *c; c++)
        if ((c == k || c[-1] == '.' || c[-1] == '_' || c[-1] == '-') &&
            ((c[0] == 'K' || c[0] == 'k') && (c[1] == 'B' || c[1] == 'b') && isdigit((unsigned char)c[2])))
            kb = c;
    if (kb)
        return 1;
    return (k[0] == 'Q' || k[0] == 'q') && isdigit((unsigned char)k[1]) && isdigit((unsigned char)k[2]);
}

sp_lob_category sp_lob_classify_app(const char *name, const char *publisher, const char *key,
                                    const char *release_type)
{
    const char *n = name ? name : "", *p = publisher ? publisher : "";
    const char *r = release_type ? release_type : "";
    int microsoft = sp_stristr(p, "Microsoft") || sp_strnicmp(n, "Microsoft ", 10) == 0 ||
                    sp_strnicmp(n, "Windows ", 8) == 0;

    if (looks_like_kb(key) || sp_stristr(r, "Update") || sp_stristr(r, "Hotfix") ||
        sp_stristr(r, "Service Pack") || sp_stristr(n, "Hotfix for") ||
        sp_stristr(n, "Security Update for") || sp_stristr(n, "Update for ") ||
        (sp_stristr(n, "Service Pack") && microsoft))
        return SP_LOB_CAT_UPDATE;
    if (sp_lob_is_microsoft_lob(n))
        return SP_LOB_CAT_LOB;
    if (has_any(n, database_words)) {
        /* SBS's own instances, and Microsoft's shared tools that name no instance, move with
         * Windows; an instance named after an application migrates with that application. */
        if (is_system_sql(n) || (microsoft && !strchr(n, '(')))
            return SP_LOB_CAT_MICROSOFT;
        return SP_LOB_CAT_DATABASE;
    }
    if (has_any(n, runtime_words))
        return SP_LOB_CAT_RUNTIME;
    if (microsoft)
        return SP_LOB_CAT_MICROSOFT;
    if (has_any(n, driver_words) || has_any(p, driver_words))
        return SP_LOB_CAT_DRIVER;
    if (has_any(n, utility_words) || has_any(p, utility_words))
        return SP_LOB_CAT_UTILITY;
    return SP_LOB_CAT_LOB;
}

sp_lob_category sp_lob_classify_service(const char *name, const char *exe)
{
    const char *n = name ? name : "", *e = exe ? exe : "";
    const char *dollar = strchr(n, '$');
    /* MSSQL$ACT7 and SQLAgent$ACT7: an instance some application installed. */
    if (dollar && (sp_strnicmp(n, "MSSQL$", 6) == 0 || sp_strnicmp(n, "SQLAgent$", 9) == 0)) {
        for (const char *const *i = system_sql_instances; *i; i++)
            if (sp_stricmp(dollar + 1, *i) == 0)
                return SP_LOB_CAT_MICROSOFT;
        return SP_LOB_CAT_DATABASE;
    }
    if (sp_lob_is_microsoft_lob(e) || sp_lob_is_microsoft_lob(n) ||
        sp_stristr(e, "\\Microsoft Dynamics"))
        return SP_LOB_CAT_LOB;
    if (has_any(e, database_words) && !sp_stristr(e, "\\Microsoft SQL Server\\"))
        return SP_LOB_CAT_DATABASE;
    if (sp_stristr(e, "\\Microsoft") || sp_stristr(e, "\\Exchsrvr\\") ||
        sp_stristr(e, "\\Windows Small Business Server\\") || sp_stristr(e, "\\Windows Server\\") ||
        sp_stristr(e, "\\Common Files\\Microsoft Shared\\") || sp_stristr(e, "\\Update Services\\"))
        return SP_LOB_CAT_MICROSOFT;
    if (has_any(e, driver_words))
        return SP_LOB_CAT_DRIVER;
    if (has_any(e, utility_words) || has_any(n, utility_words))
        return SP_LOB_CAT_UTILITY;
    return SP_LOB_CAT_LOB;
}

sp_lob_category sp_lob_classify_task(const char *exe)
{
    sp_lob_category c = sp_lob_classify_service("", exe);
    /* A task that runs an application's own program is part of that application: listed so
     * that the technician recreates it, suggested only when nothing says otherwise. */
    return c == SP_LOB_CAT_DATABASE ? SP_LOB_CAT_LOB : c;
}

int sp_lob_path_under(const char *path, const char *dir)
{
    size_t n = dir ? strlen(dir) : 0;
    if (!path || n == 0)
        return 0;
    while (n > 0 && (dir[n - 1] == '\\' || dir[n - 1] == '/'))
        n--;
    if (sp_strnicmp(path, dir, n) != 0)
        return 0;
    return path[n] == '\0' || path[n] == '\\' || path[n] == '/';
}

void sp_lob_image_exe(const char *image, const char *windir, char *out, size_t outlen)
{
    const char *s = sp_skip_space(image ? image : "");
    const char *w = windir && windir[0] ? windir : "C:\\WINDOWS";
    char exe[1024];
    size_t n = 0;

    if (outlen == 0)
        return;
    out[0] = '\0';
    if (*s == '"') {
        const char *end = strchr(s + 1, '"');
        n = end ? (size_t)(end - s - 1) : strlen(s + 1);
        s++;
    } else {
        /* Unquoted: up to the first ".exe" followed by a space or the end, else the first space. */
        const char *e = s;
        const char *hit = NULL;
        while ((e = strchr(e, '.')) != NULL) {
            if (sp_strnicmp(e, ".exe", 4) == 0 && (e[4] == '\0' || e[4] == ' ')) {
                hit = e + 4;
                break;
            }
            e++;
        }
        if (hit)
            n = (size_t)(hit - s);
        else
            n = strcspn(s, " ");
    }
    if (n >= sizeof exe)
        n = sizeof exe - 1;
    memcpy(exe, s, n);
    exe[n] = '\0';
    if (sp_strnicmp(exe, "%SystemRoot%", 12) == 0)
        snprintf(out, outlen, "%s%s", w, exe + 12);
    else if (sp_strnicmp(exe, "%windir%", 8) == 0)
        snprintf(out, outlen, "%s%s", w, exe + 8);
    else if (sp_strnicmp(exe, "\\SystemRoot\\", 12) == 0)
        snprintf(out, outlen, "%s%s", w, exe + 11);
    else if (sp_strnicmp(exe, "system32\\", 9) == 0 || sp_stricmp(exe, "system32") == 0)
        snprintf(out, outlen, "%s\\%s", w, exe);
    else if (sp_strnicmp(exe, "\\??\\", 4) == 0)
        snprintf(out, outlen, "%s", exe + 4);
    else
        snprintf(out, outlen, "%s", exe);
}

/* ---- schtasks /query /fo csv /v ----------------------------------------------------------- */

static int column(const sp_csv_row *row, const char *const *names)
{
    for (size_t i = 0; i < row->count; i++)
        for (const char *const *n = names; *n; n++)
            if (sp_stricmp(row->fields[i], *n) == 0)
                return (int)i;
    return -1;
}

sp_status sp_lob_parse_schtasks(const char *text, size_t len, sp_lob_task_cb cb, void *user,
                                char *err, size_t errlen)
{
    static const char *const name_cols[] = {"TaskName", NULL};
    static const char *const run_cols[] = {"Task To Run", NULL};
    static const char *const author_cols[] = {"Author", "Creator", NULL};
    sp_csv csv;
    sp_status st;
    int c_name = -1, c_run = -1, c_author = -1, stop = 0;

    /* "INFO: There are no scheduled tasks presently available at your access level." */
    size_t lead = 0;
    while (lead < len && (text[lead] == ' ' || text[lead] == '\t' || text[lead] == '\r' || text[lead] == '\n'))
        lead++;
    if (len - lead >= 5 && memcmp(text + lead, "INFO:", 5) == 0)
        return SP_OK;
    st = sp_csv_parse(text, len, &csv, err, errlen);
    if (st != SP_OK)
        return st;
    for (size_t r = 0; r < csv.count && !stop; r++) {
        const sp_csv_row *row = &csv.rows[r];
        int n = column(row, name_cols), t = column(row, run_cols);
        if (row->count == 1 && row->fields[0][0] == '\0')
            continue; /* blank lines between folders */
        if (n >= 0 && t >= 0) {
            c_name = n;
            c_run = t;
            c_author = column(row, author_cols);
            continue; /* a header, repeated for every folder on 2008 and later */
        }
        if (c_name < 0) {
            if (err && errlen)
                snprintf(err, errlen, "schtasks output without a TaskName and Task To Run header "
                                      "(is it in another language?)");
            sp_csv_free(&csv);
            return SP_ERR_BADDATA;
        }
        if ((size_t)c_name >= row->count || (size_t)c_run >= row->count)
            continue;
        sp_lob_task task;
        task.name = row->fields[c_name];
        task.command = row->fields[c_run];
        task.author = c_author >= 0 && (size_t)c_author < row->count ? row->fields[c_author] : "";
        stop = cb(user, &task);
    }
    if (c_name < 0 && csv.count > 0 && !stop) {
        if (err && errlen)
            snprintf(err, errlen, "schtasks output without a TaskName and Task To Run header");
        st = SP_ERR_BADDATA;
    }
    sp_csv_free(&csv);
    return st;
}

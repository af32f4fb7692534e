/* The report as one self-contained HTML page: no external resources, prints on A4 and Letter,
 * readable without colour (severities and outcomes are words, not hues). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/msgids.h"
#include "core/report.h"
#include "core/base/strbuf.h"
#include "core/version.h"

typedef struct {
    sp_strbuf b;
    sp_text_fn text;
    void *user;
} html;

/* Adds the escaped text of a string ID (with its %1 argument). */
static void add_id(html *h, unsigned id, const char *arg)
{
    char *s = h->text ? sp_text_of(h->text, h->user, id, arg) : NULL;
    if (s)
        sp_strbuf_add_html(&h->b, s);
    else
        sp_strbuf_addf(&h->b, "#%u", id);
    free(s);
}

static void cell_id(html *h, const char *tag, unsigned id, const char *arg)
{
    sp_strbuf_addf(&h->b, "<%s>", tag);
    add_id(h, id, arg);
    sp_strbuf_addf(&h->b, "</%s>", tag);
}

static void cell_text(html *h, const char *text)
{
    sp_strbuf_add(&h->b, "<td>");
    sp_strbuf_add_html(&h->b, text ? text : "");
    sp_strbuf_add(&h->b, "</td>");
}

static void cell_time(html *h, long long t)
{
    char when[32];
    if (!t) {
        cell_id(h, "td", IDS_R_NEVER, NULL);
        return;
    }
    sp_format_utc(t, when, sizeof when);
    cell_text(h, when);
}

static void head(html *h, const sp_sysinfo *info)
{
    /* The page says its language (for the browser's hyphenation, a reader's voice). */
    sp_strbuf_add(&h->b, "<!DOCTYPE html>\n<html lang=\"");
    add_id(h, IDS_R_HTML_LANG, NULL);
    sp_strbuf_add(&h->b, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    add_id(h, IDS_R_TITLE, NULL);
    if (info) {
        sp_strbuf_add(&h->b, ": ");
        sp_strbuf_add_html(&h->b, info->os.computer);
    }
    /* Print first: the page box fits both A4 and Letter; nothing depends on colour. */
    sp_strbuf_add(&h->b,
                  "</title>\n<style>\n"
                  "@page { size: auto; margin: 12mm; }\n"
                  "body { font: 10pt/1.35 \"Segoe UI\", Tahoma, Arial, sans-serif; color: #000;"
                  " background: #fff; max-width: 186mm; margin: 0 auto; }\n"
                  "h1 { font-size: 16pt; margin: 0 0 6pt; }\n"
                  "h2 { font-size: 12pt; margin: 12pt 0 3pt; border-bottom: 1.5pt solid #000;"
                  " break-after: avoid; page-break-after: avoid; }\n"
                  "h3 { font-size: 10pt; margin: 8pt 0 2pt; break-after: avoid; page-break-after: avoid; }\n"
                  "p { margin: 3pt 0; }\n"
                  "table { border-collapse: collapse; width: 100%; margin: 2pt 0 4pt; }\n"
                  "table.findings, table.summary, table.changes { table-layout: fixed; }\n"
                  "th, td { border: 0.75pt solid #000; padding: 2pt 4pt; text-align: left;"
                  " vertical-align: top; overflow-wrap: anywhere; }\n"
                  "th { background: #eee; }\n"
                  /* The summary is the first page; the steps and the appendix flow on after it. */
                  ".first { break-after: page; page-break-after: always; }\n"
                  /* The appendix: a row per finding, its evidence after the title, wrapped
                   * anywhere (hashes and paths are never cut at the page's edge); rules between
                   * the rows instead of boxes. */
                  ".appendix { font-size: 9pt; }\n"
                  ".appendix td, .appendix th { border-width: 0 0 0.5pt; border-color: #888; }\n"
                  "code { font: 0.95em Consolas, \"DejaVu Sans Mono\", monospace; white-space: pre-wrap;"
                  " overflow-wrap: anywhere; word-break: break-all; }\n"
                  ".ev::before { content: \" \\2014  \"; font-family: sans-serif; }\n"
                  "table.data:not(.rows) > tbody > tr > th { white-space: nowrap; width: 1%; }\n"
                  /* A list's columns as wide as their longest word; a longer one still wraps. */
                  "table.rows td { overflow-wrap: break-word; }\n"
                  "table.view { table-layout: fixed; }\n"
                  ".note, .item, .list { margin: 0 0 2pt; }\n"
                  "p.data, .list { break-after: avoid; page-break-after: avoid; }\n"
                  ".note { font-style: italic; }\n"
                  /* A row stays whole; a table may break between its rows. */
                  "tr { break-inside: avoid; page-break-inside: avoid; }\n"
                  ".sev-error { font-weight: bold; text-transform: uppercase; }\n"
                  ".sev-warning { font-weight: bold; }\n"
                  ".verdict { border: 1.5pt solid #000; padding: 4pt 6pt; font-weight: bold; }\n"
                  /* On paper: compact type, still legible (the appendix at 7.5 pt). */
                  "@media print {\n"
                  " body { font-size: 9pt; line-height: 1.2; }\n"
                  " h1 { font-size: 15pt; } h2 { font-size: 11pt; margin: 9pt 0 2pt; }\n"
                  " th, td { padding: 1pt 3pt; }\n"
                  " section.step table { font-size: 8.5pt; }\n"
                  " .appendix { font-size: 7.5pt; line-height: 1.15; }\n"
                  " .appendix h2 { font-size: 10pt; } .appendix h3 { font-size: 8.5pt; margin: 5pt 0 1pt; }\n"
                  " .appendix td, .appendix th { padding: 0.5pt 2pt; }\n"
                  "}\n"
                  "</style>\n</head>\n<body>\n<h1>");
    add_id(h, IDS_R_TITLE, NULL);
    sp_strbuf_add(&h->b, "</h1>\n");
}

static void server_table(html *h, const sp_state *st, const sp_sysinfo *info, int64_t now)
{
    char when[32];
    sp_format_utc(now, when, sizeof when);
    sp_strbuf_add(&h->b, "<table class=\"server\">\n<tr>");
    cell_id(h, "th", IDS_R_SERVER, NULL);
    if (info) {
        char line[400];
        sp_sysinfo_describe(info, line, sizeof line);
        sp_strbuf_add(&h->b, "<td>");
        sp_strbuf_add_html(&h->b, info->os.computer);
        sp_strbuf_add(&h->b, ": ");
        sp_strbuf_add_html(&h->b, line);
        sp_strbuf_add(&h->b, "</td>");
    } else {
        cell_text(h, st->server);
    }
    sp_strbuf_add(&h->b, "</tr>\n<tr>");
    cell_id(h, "th", IDS_R_GENERATED, NULL);
    cell_text(h, when);
    sp_strbuf_add(&h->b, "</tr>\n<tr>");
    cell_id(h, "th", IDS_R_VERSION, NULL);
    cell_text(h, SP_VERSION);
    sp_strbuf_add(&h->b, "</tr>\n</table>\n");
}

static void summary(html *h, const sp_state *st, const sp_journal *j, unsigned applies, int64_t now)
{
    char *verdict;
    sp_strbuf_add(&h->b, "<h2>");
    add_id(h, IDS_R_SUMMARY, NULL);
    sp_strbuf_add(&h->b, "</h2>\n<table class=\"summary\">\n<colgroup><col style=\"width:17%\">"
                         "<col style=\"width:16%\"><col style=\"width:23%\"><col></colgroup>\n<tr>");
    cell_id(h, "th", IDS_R_STEP, NULL);
    cell_id(h, "th", IDS_R_STATUS, NULL);
    cell_id(h, "th", IDS_R_CHECKED, NULL);
    cell_id(h, "th", IDS_R_NOTES, NULL);
    sp_strbuf_add(&h->b, "</tr>\n");
    for (size_t i = 0; i < st->count; i++) {
        const sp_step_state *s = &st->steps[i];
        sp_strbuf_addf(&h->b, "<tr id=\"summary-%s\">", s->id);
        cell_id(h, "td", IDS_STEP_NAME((unsigned)i), NULL);
        cell_id(h, "td", sp_result_text_id(s->result, s->manual), NULL);
        if (sp_state_is_stale(s, now)) {
            char when[32];
            sp_format_utc(s->checked_at, when, sizeof when);
            cell_id(h, "td", IDS_R_STALE, when);
        } else {
            cell_time(h, s->checked_at);
        }
        if (s->manual)
            cell_id(h, "td", IDS_R_MANUAL_REASON, s->manual_reason ? s->manual_reason : "");
        else if (!((applies >> i) & 1))
            cell_id(h, "td", IDS_R_NOT_APPLY, NULL);
        else
            cell_text(h, "");
        sp_strbuf_add(&h->b, "</tr>\n");
    }
    /* The same headline as the Finish page and /check:all (sp_report_verdict). */
    sp_strbuf_addf(&h->b, "</table>\n<p class=\"verdict\" id=\"verdict-%s\">",
                   sp_verdict_name(sp_report_verdict(st, j, now)));
    verdict = sp_report_verdict_text(st, j, now, h->text, h->user);
    sp_strbuf_add_html(&h->b, verdict ? verdict : sp_verdict_name(sp_report_verdict(st, j, now)));
    free(verdict);
    sp_strbuf_add(&h->b, "</p>\n<p>");
    add_id(h, sp_report_backup_fresh(st, j) ? IDS_R_BACKUP_FRESH : IDS_R_BACKUP_STALE, NULL);
    sp_strbuf_add(&h->b, "</p>\n");
}

/* A step's own data (plans, choices) as nested tables, whatever its shape. */
static void data_json(html *h, const cJSON *v);

/* A value with nothing to print: null, "", {} or []. */
static int is_empty(const cJSON *v)
{
    return cJSON_IsNull(v) || (cJSON_IsString(v) && !v->valuestring[0]) ||
           ((cJSON_IsObject(v) || cJSON_IsArray(v)) && !v->child);
}

/* A value on one line: "key: value; ..." with nested objects in parentheses, empty values left
 * out (an item of a wide array, where a table per object would take a page per few items). */
static void data_inline(html *h, const cJSON *v)
{
    const cJSON *it;
    int first = 1;
    if (!cJSON_IsObject(v) && !cJSON_IsArray(v)) {
        data_json(h, v);
        return;
    }
    cJSON_ArrayForEach(it, v) {
        if (is_empty(it))
            continue;
        sp_strbuf_add(&h->b, first ? "" : "; ");
        first = 0;
        if (cJSON_IsObject(v)) {
            sp_strbuf_add(&h->b, "<b>");
            sp_strbuf_add_html(&h->b, it->string);
            sp_strbuf_add(&h->b, ":</b> ");
        }
        if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
            sp_strbuf_add(&h->b, "(");
            data_inline(h, it);
            sp_strbuf_add(&h->b, ")");
        } else {
            data_json(h, it);
        }
    }
}

/* What the print shows of a step's long lists: the columns a plan needs of a LOB entry (it has
 * a dozen keys); none of a drill's files (each is a finding, its evidence the file's outcome,
 * size, SHA-256 and restored path). The JSON report has every key; the print says so. */
static const struct {
    const char *list, *cols[6];
    unsigned char width[6]; /* per cent of the line; 0: the rest */
} views[] = {
    {"entries", {"name", "version", "publisher", "category", "lob", "plan"}, {22, 8, 13, 8, 5, 0}},
    {"files", {NULL}, {0}},
};

/* The print's view of a list, by the list's key; -1 for none. */
static int view_of(const cJSON *v)
{
    for (size_t w = 0; v->string && w < sizeof views / sizeof views[0]; w++)
        if (strcmp(views[w].list, v->string) == 0)
            return (int)w;
    return -1;
}

/* "N entries, not printed: the JSON report has them." */
static void not_printed(html *h, const cJSON *v)
{
    char n[24];
    snprintf(n, sizeof n, "%d", cJSON_GetArraySize(v));
    add_id(h, IDS_R_DATA_NOT_PRINTED, n);
}

/* A list of objects (the LOB entries, the drill's files). */
static int is_rows(const cJSON *v)
{
    const cJSON *it;
    if (!cJSON_IsArray(v) || !v->child)
        return 0;
    cJSON_ArrayForEach(it, v)
        if (!cJSON_IsObject(it))
            return 0;
    return 1;
}

/* A list of objects: one row per item under one header of their keys, instead of a table per
 * item (a page each in print). */
static int rows_of_objects(html *h, const cJSON *v)
{
    const char *keys[24];
    unsigned char width[24] = {0};
    size_t nk = 0, all = 0;
    int w;
    const cJSON *it, *f;
    if (!is_rows(v))
        return 0;
    cJSON_ArrayForEach(it, v) {
        cJSON_ArrayForEach(f, it) {
            size_t k = 0;
            while (k < nk && strcmp(keys[k], f->string) != 0)
                k++;
            if (k == nk) {
                if (nk == sizeof keys / sizeof keys[0])
                    return 0; /* too wide for a page: item by item */
                keys[nk++] = f->string;
            }
        }
    }
    all = nk;
    if ((w = view_of(v)) >= 0) {
        /* The view's columns that any item has, in the view's order, with their widths. */
        size_t n = 0;
        for (size_t c = 0; c < 6 && views[w].cols[c]; c++)
            for (size_t k = n; k < nk; k++)
                if (strcmp(keys[k], views[w].cols[c]) == 0) {
                    const char *t = keys[n];
                    width[n] = views[w].width[c];
                    keys[n++] = keys[k];
                    keys[k] = t;
                    break;
                }
        nk = n;
    }
    if (nk > 6) {
        /* Too many keys for columns (a page per few rows): one paragraph per item. */
        cJSON_ArrayForEach(it, v) {
            sp_strbuf_add(&h->b, "<p class=\"item\">");
            data_inline(h, it);
            sp_strbuf_add(&h->b, "</p>");
        }
        return 1;
    }
    if (!nk) {
        sp_strbuf_add(&h->b, "<p class=\"note\">");
        not_printed(h, v);
        sp_strbuf_add(&h->b, "</p>");
        return 1;
    }
    sp_strbuf_add(&h->b, nk < all ? "<table class=\"data rows view\">" : "<table class=\"data rows\">");
    if (nk < all) {
        sp_strbuf_add(&h->b, "<colgroup>");
        for (size_t k = 0; k < nk; k++)
            if (width[k])
                sp_strbuf_addf(&h->b, "<col style=\"width:%u%%\">", width[k]);
            else
                sp_strbuf_add(&h->b, "<col>");
        sp_strbuf_add(&h->b, "</colgroup>");
    }
    sp_strbuf_add(&h->b, "<tr>");
    for (size_t k = 0; k < nk; k++) {
        sp_strbuf_add(&h->b, "<th>");
        sp_strbuf_add_html(&h->b, keys[k]);
        sp_strbuf_add(&h->b, "</th>");
    }
    sp_strbuf_add(&h->b, "</tr>");
    cJSON_ArrayForEach(it, v) {
        sp_strbuf_add(&h->b, "<tr>");
        for (size_t k = 0; k < nk; k++) {
            sp_strbuf_add(&h->b, "<td>");
            if ((f = cJSON_GetObjectItemCaseSensitive(it, keys[k])) != NULL)
                data_inline(h, f);
            sp_strbuf_add(&h->b, "</td>");
        }
        sp_strbuf_add(&h->b, "</tr>");
    }
    sp_strbuf_add(&h->b, "</table>");
    if (nk < all) {
        sp_strbuf_add(&h->b, "<p class=\"note\">");
        add_id(h, IDS_R_DATA_COLUMNS, NULL);
        sp_strbuf_add(&h->b, "</p>");
    }
    return 1;
}

/* A step's data (plans, choices) as tables nested as the data is; its lists of objects are left
 * to data_lists, which prints them at full width after the table (a row of a table is never
 * split across pages, and a list inside one would move whole to the next page). */
static void data_json(html *h, const cJSON *v)
{
    const cJSON *it;
    int rows = 0;
    if (rows_of_objects(h, v))
        return;
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        cJSON_ArrayForEach(it, v) {
            if (cJSON_IsObject(v) && (is_rows(it) || is_empty(it)))
                continue; /* a list follows the table; an empty value says nothing */
            sp_strbuf_add(&h->b, rows++ ? "<tr>" : "<table class=\"data\"><tr>");
            if (cJSON_IsObject(v)) {
                sp_strbuf_add(&h->b, "<th>");
                sp_strbuf_add_html(&h->b, it->string);
                sp_strbuf_add(&h->b, "</th>");
            }
            sp_strbuf_add(&h->b, "<td>");
            data_json(h, it);
            sp_strbuf_add(&h->b, "</td></tr>");
        }
        if (rows)
            sp_strbuf_add(&h->b, "</table>");
    } else if (cJSON_IsString(v)) {
        sp_strbuf_add_html(&h->b, v->valuestring);
    } else {
        char *s = cJSON_PrintUnformatted(v);
        sp_strbuf_add_html(&h->b, s);
        free(s);
    }
}

/* The lists of objects data_json left out, each under the path of its key ("drill: files"). */
static void data_lists(html *h, const cJSON *v, const char *path)
{
    const cJSON *it;
    char sub[160];
    if (!cJSON_IsObject(v))
        return;
    cJSON_ArrayForEach(it, v) {
        snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? ": " : "", it->string);
        if (is_rows(it)) {
            int w = view_of(it);
            sp_strbuf_add(&h->b, "<p class=\"list\"><b>");
            sp_strbuf_add_html(&h->b, sub);
            sp_strbuf_add(&h->b, "</b>");
            if (w >= 0 && !views[w].cols[0]) {
                /* Not printed at all: the note on the caption's line. */
                sp_strbuf_add(&h->b, ": <i>");
                not_printed(h, it);
                sp_strbuf_add(&h->b, "</i></p>\n");
                continue;
            }
            sp_strbuf_add(&h->b, "</p>\n");
            rows_of_objects(h, it);
            sp_strbuf_add(&h->b, "\n");
        } else if (cJSON_IsObject(it)) {
            data_lists(h, it, sub);
        }
    }
}

/* A finding's row up to its title: the row's class, its code, severity and title, the title's
 * cell left open (the appendix adds the evidence to it). */
static void finding_cells(html *h, const sp_finding *f, const char *cls)
{
    static const char *const sev_class[] = {"sev-info", "sev-warning", "sev-error"};
    static const unsigned sev_ids[] = {IDS_SEV_INFO, IDS_SEV_WARNING, IDS_SEV_ERROR};
    sp_strbuf_addf(&h->b, "<tr class=\"%s\" data-code=\"", cls);
    sp_strbuf_add_html(&h->b, f->code);
    sp_strbuf_addf(&h->b, "\"><td class=\"%s\">", sev_class[f->severity]);
    add_id(h, sev_ids[f->severity], NULL);
    sp_strbuf_add(&h->b, "</td><td>");
    add_id(h, f->title_id, f->arg);
}

/* The step's heading, its reason when done by hand, and the findings worth reading (warnings
 * and errors) with what to do; every finding's evidence is in the appendix. */
static void step_section(html *h, const sp_step_state *s, size_t i)
{
    size_t notable = 0;
    char n[24];
    sp_strbuf_addf(&h->b, "<section class=\"step\" id=\"step-%s\">\n<h2>", s->id);
    add_id(h, IDS_STEP_TITLE((unsigned)i), NULL);
    sp_strbuf_add(&h->b, ": ");
    add_id(h, sp_result_text_id(s->result, s->manual), NULL);
    sp_strbuf_add(&h->b, "</h2>\n");
    if (s->manual) {
        sp_strbuf_add(&h->b, "<p>");
        add_id(h, IDS_R_MANUAL_REASON, s->manual_reason ? s->manual_reason : "");
        sp_strbuf_add(&h->b, "</p>\n");
    }
    if (!s->findings.count) {
        sp_strbuf_add(&h->b, "<p>");
        add_id(h, IDS_R_NO_FINDINGS, NULL);
        sp_strbuf_add(&h->b, "</p>\n</section>\n");
        return;
    }
    for (size_t k = 0; k < s->findings.count; k++) {
        const sp_finding *f = &s->findings.items[k];
        if (f->severity < SP_SEV_WARNING)
            continue;
        if (!notable++) {
            sp_strbuf_add(&h->b, "<table class=\"findings\">\n<colgroup><col style=\"width:14%\">"
                                 "<col style=\"width:34%\"><col></colgroup>\n<tr>");
            cell_id(h, "th", IDS_R_SEVERITY, NULL);
            cell_id(h, "th", IDS_R_FINDING, NULL);
            cell_id(h, "th", IDS_R_ADVICE, NULL);
            sp_strbuf_add(&h->b, "</tr>\n");
        }
        finding_cells(h, f, "notable");
        sp_strbuf_add(&h->b, "</td>");
        if (f->advice_id)
            cell_id(h, "td", f->advice_id, f->arg);
        else
            cell_text(h, "");
        sp_strbuf_add(&h->b, "</tr>\n");
    }
    if (notable)
        sp_strbuf_add(&h->b, "</table>\n");
    snprintf(n, sizeof n, "%u", (unsigned)s->findings.count);
    sp_strbuf_add(&h->b, "<p>");
    add_id(h, IDS_R_IN_APPENDIX, n);
    sp_strbuf_add(&h->b, "</p>\n</section>\n");
}

/* In the appendix: every finding of the step on one row, its evidence after its title and
 * wrapped anywhere (hashes and paths are never cut at the page's edge), and the step's own
 * data. What to do is with the step above, for the findings that need it. */
static void step_appendix(html *h, const sp_step_state *s, size_t i)
{
    int data = s->data && cJSON_GetArraySize(s->data) > 0;
    if (!s->findings.count && !data)
        return;
    sp_strbuf_addf(&h->b, "<section class=\"evidence\" id=\"evidence-%s\">\n<h3>", s->id);
    add_id(h, IDS_STEP_TITLE((unsigned)i), NULL);
    sp_strbuf_add(&h->b, "</h3>\n");
    if (s->findings.count) {
        sp_strbuf_add(&h->b, "<table class=\"findings\">\n<colgroup><col style=\"width:12%\"><col></colgroup>\n<tr>");
        cell_id(h, "th", IDS_R_SEVERITY, NULL);
        sp_strbuf_add(&h->b, "<th>");
        add_id(h, IDS_R_FINDING, NULL);
        sp_strbuf_add(&h->b, " <span class=\"ev\">");
        add_id(h, IDS_R_EVIDENCE, NULL);
        sp_strbuf_add(&h->b, "</span></th></tr>\n");
        for (size_t k = 0; k < s->findings.count; k++) {
            const sp_finding *f = &s->findings.items[k];
            finding_cells(h, f, "finding");
            if (k && f->evidence && strlen(f->evidence) >= 60 && f[-1].evidence &&
                strcmp(f->evidence, f[-1].evidence) == 0) {
                /* Long evidence the row above has too (the time sync's configuration read once
                 * for two findings) printed once; a short one ("vendor") is shorter than the
                 * words that would refer to it. */
                sp_strbuf_add(&h->b, " <span class=\"ev\"><i>");
                add_id(h, IDS_R_SAME_EVIDENCE, NULL);
                sp_strbuf_add(&h->b, "</i></span>");
            } else if (f->evidence && f->evidence[0]) {
                sp_strbuf_add(&h->b, " <span class=\"ev\"><code>");
                sp_strbuf_add_html(&h->b, f->evidence);
                sp_strbuf_add(&h->b, "</code></span>");
            }
            sp_strbuf_add(&h->b, "</td></tr>\n");
        }
        sp_strbuf_add(&h->b, "</table>\n");
    }
    if (data) {
        sp_strbuf_add(&h->b, "<p class=\"data\"><b>");
        add_id(h, IDS_R_DATA, NULL);
        sp_strbuf_add(&h->b, "</b></p>\n");
        data_json(h, s->data);
        sp_strbuf_add(&h->b, "\n");
        data_lists(h, s->data, "");
    }
    sp_strbuf_add(&h->b, "</section>\n");
}

static void changes(html *h, const sp_journal *j)
{
    size_t n = j ? sp_journal_count(j) : 0;
    sp_strbuf_add(&h->b, "<h2>");
    add_id(h, IDS_R_CHANGES, NULL);
    sp_strbuf_add(&h->b, "</h2>\n");
    if (!n) {
        sp_strbuf_add(&h->b, "<p>");
        add_id(h, IDS_R_NO_CHANGES, NULL);
        sp_strbuf_add(&h->b, "</p>\n");
        return;
    }
    sp_strbuf_add(&h->b, "<table class=\"changes\">\n<colgroup><col style=\"width:3%\">"
                         "<col style=\"width:8%\"><col style=\"width:10%\"><col>"
                         "<col style=\"width:19%\"><col style=\"width:10%\"></colgroup>\n<tr><th>#</th>");
    cell_id(h, "th", IDS_R_STEP, NULL);
    cell_id(h, "th", IDS_R_KIND, NULL);
    cell_id(h, "th", IDS_R_TARGET, NULL);
    cell_id(h, "th", IDS_R_TIME, NULL);
    cell_id(h, "th", IDS_R_UNDONE, NULL);
    sp_strbuf_add(&h->b, "</tr>\n");
    for (size_t i = 0; i < n; i++) {
        sp_change c;
        if (sp_journal_get(j, i, &c) != SP_OK)
            continue;
        sp_strbuf_addf(&h->b, "<tr class=\"change\"><td>%u</td>", c.seq);
        cell_text(h, c.step);
        cell_text(h, sp_change_kind_name(c.kind));
        cell_text(h, c.target);
        cell_time(h, c.time);
        cell_id(h, "td", c.undone ? IDS_YES : IDS_NO, NULL);
        sp_strbuf_add(&h->b, "</tr>\n");
    }
    sp_strbuf_add(&h->b, "</table>\n");
}

char *sp_report_html(const sp_state *st, const sp_sysinfo *info, const sp_journal *journal,
                     sp_text_fn text, void *user, int64_t now)
{
    html h;
    unsigned applies = info ? sp_sysinfo_applicable(info) : ~0u;
    memset(&h, 0, sizeof h);
    h.text = text;
    h.user = user;
    head(&h, info);
    /* The first page: the server, every step's state, the verdict, the backup and what next. */
    sp_strbuf_add(&h.b, "<div class=\"first\">\n");
    server_table(&h, st, info, now);
    summary(&h, st, journal, applies, now);
    sp_strbuf_add(&h.b, "<h2>");
    add_id(&h, IDS_R_NEXT, NULL);
    sp_strbuf_add(&h.b, "</h2>\n<p>");
    add_id(&h, IDS_FINISH_BACKUP, NULL);
    sp_strbuf_add(&h.b, "</p>\n<p>");
    add_id(&h, IDS_FINISH_NEXT, NULL);
    sp_strbuf_add(&h.b, "</p>\n</div>\n");
    for (size_t i = 0; i < st->count; i++)
        step_section(&h, &st->steps[i], i);
    /* The appendix: what SourcePrep changed, then every finding with its evidence. */
    sp_strbuf_add(&h.b, "<div class=\"appendix\">\n");
    changes(&h, journal);
    sp_strbuf_add(&h.b, "<h2>");
    add_id(&h, IDS_R_APPENDIX, NULL);
    sp_strbuf_add(&h.b, "</h2>\n");
    for (size_t i = 0; i < st->count; i++)
        step_appendix(&h, &st->steps[i], i);
    sp_strbuf_add(&h.b, "</div>\n</body>\n</html>\n");
    return sp_strbuf_take(&h.b);
}

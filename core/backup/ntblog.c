/* Reads NTBackup's text logs: backup sets, their type, and when each completed. */
#include "core/backup/ntblog.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/backup/labels.h"
#include "core/base/civil.h"
#include "core/base/strutil.h"

static int looks_utf16le(const unsigned char *d, size_t n)
{
    size_t zeros = 0, pairs = n / 2 < 64 ? n / 2 : 64;
    if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
        return 1;
    for (size_t i = 0; i < pairs; i++)
        zeros += d[2 * i + 1] == 0 && d[2 * i] != 0;
    return pairs > 0 && zeros * 2 > pairs;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int valid_utf8(const unsigned char *d, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = d[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!len || i + len > n || (len == 2 && c < 0xC2))
            return 0;
        for (size_t k = 1; k < len; k++)
            if ((d[i + k] & 0xC0) != 0x80)
                return 0;
        i += len;
    }
    return 1;
}

char *sp_ntblog_text(const unsigned char *d, size_t n)
{
    char *out, *o;
    if (!looks_utf16le(d, n)) {
        /* 8-bit text: kept as it is when it is UTF-8, else read as Windows-1252's Latin-1
         * part (a log saved from Notepad as "ANSI" on a German server: "über" as FC). */
        int utf8 = valid_utf8(d, n);
        if (!(o = out = malloc(n * 2 + 1)))
            return NULL;
        for (size_t i = 0; i < n; i++)
            if (!d[i])
                *o++ = ' ';
            else if (utf8 || d[i] < 0x80)
                *o++ = (char)d[i];
            else
                o += put_utf8(o, d[i]);
        *o = '\0';
        return out;
    }
    if (!(o = out = malloc(n / 2 * 3 + 4)))
        return NULL;
    size_t i = n >= 2 && d[0] == 0xFF && d[1] == 0xFE ? 2 : 0;
    for (; i + 1 < n; i += 2) {
        uint32_t u = d[i] | (uint32_t)d[i + 1] << 8;
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < n) {
            uint32_t lo = d[i + 2] | (uint32_t)d[i + 3] << 8;
            if (lo >= 0xDC00 && lo < 0xE000) {
                o += put_utf8(o, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                i += 2;
                continue;
            }
        }
        if ((u >= 0xD800 && u < 0xE000) || u == 0)
            u = u ? 0xFFFD : ' '; /* a lone surrogate, or a NUL that would end the text */
        o += put_utf8(o, u);
    }
    *o = '\0';
    return out;
}

/* What NTBackup's log calls each thing, in one language. English is the format the parser had
 * from the start (tests/fixtures/ntbackup). The others are best reconstructions of the
 * localized NTBackup of Windows Server 2003, none checked against a log captured on a real
 * server here: a log no table reads is "could not be read" (SP_ERR_BADDATA), never an empty
 * result. */
typedef struct {
    const char *header[3];  /* a line that only a log has: "Backup Status", "Operation: Backup" */
    const char *set[3];     /* the start of a backup set, up to the quote of its source */
    const char *type[2];    /* the label of the set's type */
    const char *normal[2];  /* the type of a full backup */
    const char *done[3];    /* "Backup completed on " before the date */
} ntb_labels;

static const ntb_labels tables[SP_LANG_COUNT] = {
    [SP_LANG_EN] = {{"Backup Status", "Operation: Backup"},
                    {"Backup of \"", "Backup (via shadow copy) of \""},
                    {"Backup Type"}, {"Normal"}, {"Backup completed on "}},
    [SP_LANG_DE] = {{"Sicherungsstatus", "Vorgang: Sicherung"},
                    {"Sicherung von \"", "Sicherung (über Schattenkopie) von \"",
                     "Sicherung (mittels Schattenkopie) von \""},
                    {"Sicherungstyp", "Sicherungsart"}, {"Normal"},
                    {"Sicherung beendet am ", "Sicherung abgeschlossen am ", "Sicherung fertig gestellt am "}},
    [SP_LANG_FR] = {{"État de la sauvegarde", "Etat de la sauvegarde", "Opération : Sauvegarde"},
                    {"Sauvegarde de \"", "Sauvegarde (via un cliché instantané) de \"",
                     "Sauvegarde (par cliché instantané) de \""},
                    {"Type de sauvegarde"}, {"Normal", "Normale"},
                    {"Sauvegarde terminée le ", "Sauvegarde achevée le "}},
    [SP_LANG_ES] = {{"Estado de la copia de seguridad", "Operación: Copia de seguridad"},
                    {"Copia de seguridad de \"", "Copia de seguridad (mediante instantánea) de \""},
                    {"Tipo de copia de seguridad"}, {"Normal"},
                    {"Copia de seguridad completada el ", "Copia de seguridad finalizada el "}},
    [SP_LANG_IT] = {{"Stato backup", "Operazione: Backup"},
                    {"Backup di \"", "Backup (tramite copia shadow) di \""},
                    {"Tipo di backup"}, {"Normale"}, {"Backup completato il "}},
    [SP_LANG_NL] = {{"Back-upstatus", "Bewerking: Back-up"},
                    {"Back-up van \"", "Back-up (via schaduwkopie) van \""},
                    {"Back-uptype"}, {"Normaal"}, {"Back-up voltooid op "}},
    [SP_LANG_PT_BR] = {{"Status do backup", "Operação: Backup"},
                       {"Backup de \"", "Backup (via cópia de sombra) de \""},
                       {"Tipo de backup"}, {"Normal"}, {"Backup concluído em "}},
    [SP_LANG_JA] = {{"バックアップの状態", "操作: バックアップ"},
                    {"バックアップ対象: \"", "バックアップ (シャドウ コピー経由) 対象: \""},
                    {"バックアップの種類"}, {"標準", "ノーマル"}, {"バックアップ完了日時: ", "バックアップ完了: "}},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *after_prefix(const char *const *list, size_t n, const char *l)
{
    for (size_t i = 0; i < n && list[i]; i++)
        if (strncmp(l, list[i], strlen(list[i])) == 0)
            return l + strlen(list[i]);
    return NULL;
}

static int read_digits(const char **p, int max, int *out)
{
    int v = 0, n = 0;
    while (n < max && isdigit((unsigned char)**p))
        v = v * 10 + (*(*p)++ - '0'), n++;
    *out = v;
    return n;
}

/* "3/2/2024 at 11:41 PM", "02.03.2024 um 23:41", "02/03/2024 à 23:41", "2024/03/02 23:41":
 * the date with '/', '.' or '-' (year first when it has four digits), any connecting word,
 * then the time. -1 when it is not a date and time. */
static int64_t parse_when(const char *s, int day_first)
{
    const char *p = s;
    int a, b, c, y, m, d, h, mi, sec = 0, na;
    if (!(na = read_digits(&p, 4, &a)) || !strchr("/.-", *p) || !*p)
        return -1;
    char sep = *p++;
    if (!read_digits(&p, 2, &b) || *p++ != sep || !read_digits(&p, 4, &c))
        return -1;
    if (*p == '.')
        p++; /* "02.03.2024." */
    if (na == 4)
        y = a, m = b, d = c;
    else
        y = c, m = day_first ? b : a, d = day_first ? a : b;
    for (int skipped = 0; *p && !isdigit((unsigned char)*p); p++)
        if (++skipped > 24)
            return -1; /* " at ", " um ", " à ", " a las ", " alle ", " の " */
    if (!read_digits(&p, 2, &h) || *p++ != ':' || !read_digits(&p, 2, &mi))
        return -1;
    if (*p == ':' && isdigit((unsigned char)p[1])) {
        p++;
        read_digits(&p, 2, &sec);
    }
    while (*p == ' ')
        p++;
    if ((toupper((unsigned char)p[0]) == 'A' || toupper((unsigned char)p[0]) == 'P') &&
        (toupper((unsigned char)p[1]) == 'M' || (p[1] == '.' && toupper((unsigned char)p[2]) == 'M'))) {
        if (h < 1 || h > 12)
            return -1;
        h = h % 12 + (toupper((unsigned char)p[0]) == 'P' ? 12 : 0);
    }
    return sp_civil_to_unix(y, m, d, h, mi, sec);
}

static void add_what(sp_ntb_summary *s, const char *name)
{
    size_t len = strlen(s->what);
    if (strstr(s->what, name))
        return;
    snprintf(s->what + len, sizeof s->what - len, "%s%s", len ? ", " : "", name);
}

/* The name in the quotes from q (just after the opening one) to the closing one. */
static void note_source(sp_ntb_summary *s, const char *q)
{
    const char *e = strchr(q, '"');
    char name[64];
    if (!e)
        return;
    size_t n = (size_t)(e - q);
    while (n && q[n - 1] == ' ')
        n--;
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, q, n);
    name[n] = '\0';
    if (n)
        add_what(s, name);
}

sp_status sp_ntblog_parse_lang(const unsigned char *data, size_t size, int day_first,
                               unsigned langid, sp_ntb_summary *out, char *err, size_t errlen)
{
    char *text = NULL, label[64];
    int is_log = 0, normal = 0;
    sp_lang order[SP_LANG_COUNT];
    sp_lang_order(langid, order);
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    if (!data && size)
        return SP_ERR_INVALID;
    if (!(text = sp_ntblog_text(data ? data : (const unsigned char *)"", size)))
        return SP_ERR_NOMEM;
    size_t text_len = strlen(text);
    char *first = malloc(text_len + 1);
    if (!first) {
        free(text);
        return SP_ERR_NOMEM;
    }
    memcpy(first, text, text_len + 1);
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *cr = strchr(line, '\r');
        if (cr)
            *cr = '\0';
        const char *l = sp_skip_space(line), *v, *value;
        for (int k = 0; k < SP_LANG_COUNT; k++) {
            const ntb_labels *t = &tables[order[k]];
            for (size_t i = 0; i < N(t->header) && t->header[i]; i++)
                if (strncmp(l, t->header[i], strlen(t->header[i])) == 0)
                    is_log = 1;
            if ((v = after_prefix(t->set, N(t->set), l))) {
                is_log = 1;
                out->sets++;
                normal = 0;
                note_source(out, v);
                break;
            }
            if (sp_label_split(l, label, sizeof label, &value)) {
                int typed = 0;
                for (size_t i = 0; i < N(t->type) && t->type[i]; i++)
                    typed |= sp_label_eq(label, t->type[i]);
                if (typed) {
                    normal = 0;
                    for (size_t i = 0; i < N(t->normal) && t->normal[i]; i++)
                        normal |= sp_strnicmp(value, t->normal[i], strlen(t->normal[i])) == 0;
                    break;
                }
            }
            if ((v = after_prefix(t->done, N(t->done), l))) {
                int64_t when = parse_when(v, day_first);
                if (when < 0) {
                    if (err && errlen)
                        snprintf(err, errlen, "The log has a completion date SourcePrep cannot read: \"%.60s\"", l);
                    free(text);
                    free(first);
                    return SP_ERR_BADDATA;
                }
                if (normal) {
                    out->normal_sets++;
                    if (!out->found || when > out->completed)
                        out->completed = when;
                    out->found = 1;
                }
                break;
            }
        }
        line = next;
    }
    free(text);
    if (!is_log) {
        char lines[200];
        sp_first_lines(first, text_len, 3, lines, sizeof lines);
        if (err && errlen)
            snprintf(err, errlen, "This file is not an NTBackup log, or it could not be read (it begins: %s).", lines);
        free(first);
        return SP_ERR_BADDATA;
    }
    free(first);
    return SP_OK;
}

sp_status sp_ntblog_parse(const unsigned char *data, size_t size, int day_first,
                          sp_ntb_summary *out, char *err, size_t errlen)
{
    return sp_ntblog_parse_lang(data, size, day_first, 0, out, err, errlen);
}

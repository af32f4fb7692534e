/* Parses wbadmin's text: the versions list (2008, 2008 R2, 2012 and later) and progress lines,
 * in the languages of labels.h. The version identifier (MM/DD/YYYY-HH:MM, UTC) is the one
 * thing wbadmin never localises and stays the key; the labels around it are read with one
 * table per language, the server's UI language first. */
#include "core/backup/wbadmin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/backup/labels.h"
#include "core/base/civil.h"
#include "core/base/strutil.h"
#include "core/backup/wbline.h"

/* What each label of `wbadmin get versions` is called in one language. Up to three spellings
 * a field (Windows versions differ: 2008 "Backup target", 2012 "Backup location").
 *
 * English is the format the parser had from the start (Microsoft's documented output of 2008,
 * 2008 R2 and 2012; tests/fixtures/wbadmin). Every other language is a best reconstruction
 * from the terms each Windows uses in its Backup console; none was checked against output
 * captured on a real server here. So the parser takes what it does not know only as "could
 * not be read", never as "no backup", and finds the version identifier by its shape whatever
 * its label. */
typedef struct {
    const char *time[3], *target[3], *id[3], *recover[3], *ignored[3];
    const char *files[3];                /* in "Can recover": single files can be restored */
    const char *full[4];                 /* in "Can recover": bare metal or system state */
    const char *none[3];                 /* the line wbadmin prints when there is no backup */
    const char *error;                   /* the prefix of an error line */
} wb_labels;

static const wb_labels tables[SP_LANG_COUNT] = {
    [SP_LANG_EN] = {{"Backup time"}, {"Backup target", "Backup location"}, {"Version identifier"},
                    {"Can recover"}, {"Snapshot ID"}, {"File(s)", "Files"},
                    {"Bare Metal", "System State"}, {"No backups were found.", "No backup"},
                    "ERROR - "},
    [SP_LANG_DE] = {{"Sicherungszeit"}, {"Sicherungsziel", "Sicherungsspeicherort"},
                    {"Versionsbezeichner", "Versions-ID"}, {"Wiederherstellbar", "Wiederherstellung möglich"},
                    {"Snapshot-ID", "Momentaufnahme-ID"}, {"Datei(en)", "Dateien"},
                    {"Bare-Metal", "Systemstatus", "Systemzustand"},
                    {"Es wurden keine Sicherungen gefunden.", "Keine Sicherung"}, "FEHLER - "},
    [SP_LANG_FR] = {{"Heure de la sauvegarde", "Heure de sauvegarde"},
                    {"Cible de la sauvegarde", "Emplacement de la sauvegarde"},
                    {"Identificateur de version"}, {"Peut récupérer", "Récupération possible"},
                    {"ID de cliché instantané", "ID de l'instantané"}, {"Fichier(s)", "Fichiers"},
                    {"Récupération complète", "État du système", "Etat du système", "Bare Metal"},
                    {"Aucune sauvegarde n'a été trouvée.", "Aucune sauvegarde"}, "ERREUR - "},
    [SP_LANG_ES] = {{"Hora de copia de seguridad", "Hora de la copia de seguridad"},
                    {"Destino de copia de seguridad", "Ubicación de copia de seguridad"},
                    {"Identificador de versión"}, {"Puede recuperar", "Se puede recuperar"},
                    {"Id. de instantánea", "Identificador de instantánea"}, {"Archivo(s)", "Archivos"},
                    {"Reconstrucción completa", "Estado del sistema", "Recuperación completa"},
                    {"No se encontró ninguna copia de seguridad.", "No se encontraron copias de seguridad"},
                    "ERROR - "},
    [SP_LANG_IT] = {{"Ora backup", "Data/ora backup"}, {"Destinazione backup", "Percorso backup"},
                    {"Identificatore versione", "Identificatore di versione"},
                    {"Elementi ripristinabili", "Ripristinabile"}, {"ID snapshot"}, {"File"},
                    {"Bare metal", "Stato del sistema"},
                    {"Nessun backup trovato.", "Non sono stati trovati backup"}, "ERRORE - "},
    [SP_LANG_NL] = {{"Back-uptijd", "Tijdstip van back-up"}, {"Back-updoel", "Back-uplocatie"},
                    {"Versie-id", "Versie-ID"}, {"Kan herstellen", "Herstelbaar"}, {"Momentopname-id"},
                    {"Bestand(en)", "Bestanden"}, {"Bare-metal", "Systeemstatus"},
                    {"Er zijn geen back-ups gevonden.", "Geen back-ups"}, "FOUT - "},
    [SP_LANG_PT_BR] = {{"Hora do backup"}, {"Destino do backup", "Local do backup"},
                       {"Identificador de versão"}, {"Pode recuperar", "Recuperável"},
                       {"ID do instantâneo"}, {"Arquivo(s)", "Arquivos"},
                       {"Bare Metal", "Estado do Sistema"},
                       {"Nenhum backup foi encontrado.", "Nenhum backup"}, "ERRO - "},
    [SP_LANG_JA] = {{"バックアップ時間", "バックアップ時刻"}, {"バックアップ ターゲット", "バックアップの場所"},
                    {"バージョン識別子"}, {"回復可能", "回復できる項目"}, {"スナップショット ID"},
                    {"ファイル"}, {"ベア メタル", "システム状態"},
                    {"バックアップが見つかりませんでした。", "バックアップはありません"}, "エラー - "},
};

void sp_wb_versions_free(sp_wb_versions *v)
{
    if (!v)
        return;
    free(v->items);
    v->items = NULL;
    v->count = 0;
}

static int any_eq(const char *const *list, size_t n, const char *label)
{
    for (size_t i = 0; i < n && list[i]; i++)
        if (sp_label_eq(list[i], label))
            return 1;
    return 0;
}

static int any_in(const char *const *list, size_t n, const char *value)
{
    for (size_t i = 0; i < n && list[i]; i++)
        if (sp_stristr(value, list[i]))
            return 1;
    return 0;
}

static int starts(const char *s, const char *prefix)
{
    return prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum { F_NONE, F_TIME, F_TARGET, F_ID, F_RECOVER, F_IGNORED };

/* Which field label names, in which language (order: the server's first). */
static int which_field(const char *label, const sp_lang *order, sp_lang *lang)
{
    for (int k = 0; k < SP_LANG_COUNT; k++) {
        const wb_labels *t = &tables[order[k]];
        int f = any_eq(t->time, N(t->time), label)         ? F_TIME
                : any_eq(t->target, N(t->target), label)   ? F_TARGET
                : any_eq(t->id, N(t->id), label)           ? F_ID
                : any_eq(t->recover, N(t->recover), label) ? F_RECOVER
                : any_eq(t->ignored, N(t->ignored), label) ? F_IGNORED
                                                           : F_NONE;
        if (f != F_NONE) {
            *lang = order[k];
            return f;
        }
    }
    return F_NONE;
}

/* The error line's message (after its prefix) in any language, or NULL. */
static const char *error_text(const char *l)
{
    for (int k = 0; k < SP_LANG_COUNT; k++)
        if (starts(l, tables[k].error))
            return l + strlen(tables[k].error);
    return NULL;
}

int sp_wbadmin_error_line(const char *line)
{
    return line && error_text(sp_skip_space(line)) != NULL;
}

static int is_none_line(const char *l, const sp_lang *order)
{
    for (int k = 0; k < SP_LANG_COUNT; k++)
        if (any_in(tables[order[k]].none, N(tables[order[k]].none), l))
            return 1;
    return 0;
}

/* "03/15/2011-04:00" and nothing else: the identifier, whatever the label before it. */
static int64_t parse_id(const char *value)
{
    const char *end = NULL;
    if (!(isdigit((unsigned char)value[0]) && isdigit((unsigned char)value[1]) && value[2] == '/' &&
          isdigit((unsigned char)value[3]) && isdigit((unsigned char)value[4]) && value[5] == '/' &&
          value[10] == '-'))
        return -1;
    int64_t t = sp_civil_parse_datetime(value, 0, &end);
    return t >= 0 && *sp_skip_space(end) == '\0' ? t : -1;
}

static sp_status fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, arg);
    return SP_ERR_BADDATA;
}

/* The message for text the tables cannot read: the line, then the output's first lines. */
static sp_status unreadable(char *err, size_t errlen, const char *line, const char *text, size_t len)
{
    char first[240];
    sp_first_lines(text, len, 4, first, sizeof first);
    if (err && errlen)
        snprintf(err, errlen, "this output could not be read (line \"%.80s\"; it begins: %s)", line, first);
    return SP_ERR_BADDATA;
}

static sp_wb_version *new_version(sp_wb_versions *out, size_t *cap)
{
    if (out->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        sp_wb_version *grown = realloc(out->items, ncap * sizeof *grown);
        if (!grown)
            return NULL;
        out->items = grown;
        *cap = ncap;
    }
    sp_wb_version *v = &out->items[out->count++];
    memset(v, 0, sizeof *v);
    v->time = -1;
    return v;
}

sp_status sp_wbadmin_parse_versions_lang(const char *text, size_t len, unsigned langid,
                                         sp_wb_versions *out, char *err, size_t errlen)
{
    char line[512], label[96];
    int banner = 0, none = 0;
    size_t cap = 0;
    sp_wb_version *cur = NULL;
    sp_lang order[SP_LANG_COUNT], lang = SP_LANG_EN, cur_lang = SP_LANG_EN;
    sp_lang_order(langid, order);
    out->items = NULL;
    out->count = 0;
    if (err && errlen)
        err[0] = '\0';
    for (size_t i = 0; text && i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t n = e - i < sizeof line - 1 ? e - i : sizeof line - 1;
        memcpy(line, text + i, n);
        line[n] = '\0';
        for (size_t k = 0; k < n; k++)
            if (line[k] == '\r' || line[k] == '\0' || line[k] == '\t')
                line[k] = ' ';
        while (n && line[n - 1] == ' ')
            line[--n] = '\0';
        i = e + 1;
        const char *l = sp_skip_space(line), *value = NULL, *msg;
        if (!*l)
            continue;
        if (sp_strnicmp(l, "wbadmin ", 8) == 0) { /* "wbadmin 1.0 - ..." in every language */
            banner = 1;
            continue;
        }
        if (sp_strnicmp(l, "(C) Copyright", 13) == 0 || strncmp(l, "\xC2\xA9", 2) == 0)
            continue;
        if ((msg = error_text(l))) {
            sp_wb_versions_free(out);
            return fail(err, errlen, "wbadmin reported an error: %s", msg);
        }
        int f = sp_label_split(l, label, sizeof label, &value) ? which_field(label, order, &lang) : F_NONE;
        int64_t id_time = value ? parse_id(value) : -1;
        if (f == F_NONE && id_time >= 0)
            f = F_ID, lang = cur ? cur_lang : lang; /* the key, under a label no table has */
        if (f == F_NONE) {
            if (!cur && is_none_line(l, order)) {
                none = 1;
                continue;
            }
            sp_wb_versions_free(out);
            return unreadable(err, errlen, l, text, len);
        }
        /* A version starts at its time line, or at an identifier when the last one has one. */
        if (f == F_TIME || (f == F_ID && (!cur || cur->id[0])) || !cur) {
            if (f != F_TIME && f != F_ID) {
                sp_wb_versions_free(out);
                return unreadable(err, errlen, l, text, len);
            }
            if (!(cur = new_version(out, &cap))) {
                sp_wb_versions_free(out);
                return SP_ERR_NOMEM;
            }
            cur_lang = lang;
        }
        switch (f) {
        case F_TARGET:
            sp_strlcpy(cur->target, value, sizeof cur->target);
            break;
        case F_ID:
            if (id_time < 0) {
                sp_wb_versions_free(out);
                return fail(err, errlen, "wbadmin listed a version identifier it cannot have written: \"%s\"", value);
            }
            cur->time = id_time;
            sp_strlcpy(cur->id, value, sizeof cur->id);
            break;
        case F_RECOVER: {
            const wb_labels *t = &tables[lang];
            sp_strlcpy(cur->recover, value, sizeof cur->recover);
            cur->full = any_in(t->full, N(t->full), value);
            cur->files = any_in(t->files, N(t->files), value);
            break;
        }
        default:
            break;
        }
    }
    for (size_t k = 0; k < out->count; k++) {
        if (out->items[k].time < 0) {
            sp_wb_versions_free(out);
            return fail(err, errlen, "%s", "wbadmin listed a backup without a version identifier");
        }
    }
    if (out->count == 0 && !(banner && none)) {
        /* No version, and no line that says there is none: never read as "no backup". */
        char first[240];
        sp_first_lines(text, text ? len : 0, 4, first, sizeof first);
        return fail(err, errlen, "This is not the output of \"wbadmin get versions\", or it could not be read: \"%s\"",
                    first);
    }
    return SP_OK;
}

sp_status sp_wbadmin_parse_versions(const char *text, size_t len, sp_wb_versions *out, char *err,
                                    size_t errlen)
{
    return sp_wbadmin_parse_versions_lang(text, len, 0, out, err, errlen);
}

const sp_wb_version *sp_wb_latest_full(const sp_wb_versions *v)
{
    const sp_wb_version *best = NULL;
    for (size_t i = 0; v && i < v->count; i++)
        if (v->items[i].full && v->items[i].files && (!best || v->items[i].time > best->time))
            best = &v->items[i];
    return best;
}

int sp_wbadmin_progress(const char *line)
{
    /* The last "(NN%)" of the line, in any language: "(45%)", French "(45 %)" (a space or a
     * no-break space), Japanese full-width "（45％）". Volume labels may hold parentheses. */
    int pct = -1;
    for (const char *p = line; p && *p; p++) {
        const char *q;
        if (*p == '(')
            q = p + 1;
        else if (strncmp(p, "\xEF\xBC\x88", 3) == 0) /* U+FF08 FULLWIDTH LEFT PARENTHESIS */
            q = p + 3;
        else
            continue;
        int v = 0, digits = 0;
        while (*q == ' ')
            q++;
        while (isdigit((unsigned char)*q) && digits < 4)
            v = v * 10 + (*q++ - '0'), digits++;
        if (*q == ' ')
            q++;
        else if (strncmp(q, "\xC2\xA0", 2) == 0)
            q += 2;
        if (*q == '%')
            q++;
        else if (strncmp(q, "\xEF\xBC\x85", 3) == 0) /* U+FF05 FULLWIDTH PERCENT SIGN */
            q += 3;
        else
            continue;
        if (digits && (*q == ')' || strncmp(q, "\xEF\xBC\x89", 3) == 0) && v <= 100)
            pct = v;
    }
    return pct;
}

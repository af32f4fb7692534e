/* Language selection and label-line helpers shared by the wbadmin and NTBackup parsers. */
#include "core/backup/labels.h"

#include <string.h>

#include "core/base/strutil.h"

sp_lang sp_lang_of_langid(unsigned langid)
{
    switch (langid & 0x3FFu) { /* the primary language: 0x07 German in 0x0407, 0x0807... */
    case 0x09: return SP_LANG_EN;
    case 0x07: return SP_LANG_DE;
    case 0x0C: return SP_LANG_FR;
    case 0x0A: return SP_LANG_ES;
    case 0x10: return SP_LANG_IT;
    case 0x13: return SP_LANG_NL;
    case 0x16: return SP_LANG_PT_BR; /* Portuguese (Portugal) is read with Brazil's table */
    case 0x11: return SP_LANG_JA;
    default: return SP_LANG_COUNT;
    }
}

void sp_lang_order(unsigned langid, sp_lang order[SP_LANG_COUNT])
{
    sp_lang first = sp_lang_of_langid(langid);
    size_t n = 0;
    if (first != SP_LANG_COUNT)
        order[n++] = first;
    for (int l = 0; l < SP_LANG_COUNT; l++)
        if ((sp_lang)l != first)
            order[n++] = (sp_lang)l;
}

const char *sp_lang_name(sp_lang l)
{
    static const char *const names[SP_LANG_COUNT] = {"en-US", "de-DE", "fr-FR", "es-ES",
                                                     "it-IT", "nl-NL", "pt-BR", "ja-JP"};
    return (unsigned)l < SP_LANG_COUNT ? names[l] : "?";
}

int sp_label_split(const char *line, char *label, size_t labellen, const char **value)
{
    const char *colon = strchr(line, ':');
    const char *wide = strstr(line, "\xEF\xBC\x9A"); /* U+FF1A FULLWIDTH COLON */
    size_t skip = 1;
    if (wide && (!colon || wide < colon))
        colon = wide, skip = 3;
    if (!colon)
        return 0;
    const char *s = sp_skip_space(line);
    size_t n = (size_t)(colon - s);
    /* Spaces, and the no-break space (U+00A0, C2 A0 in UTF-8) French puts before a colon. */
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0)
            n -= 2;
        else
            break;
    }
    if (n == 0 || n >= labellen)
        return 0;
    memcpy(label, s, n);
    label[n] = '\0';
    *value = sp_skip_space(colon + skip);
    return 1;
}

int sp_label_eq(const char *a, const char *b)
{
    return sp_stricmp(a, b) == 0;
}

void sp_first_lines(const char *text, size_t len, unsigned max_lines, char *out, size_t outlen)
{
    size_t o = 0;
    unsigned lines = 0;
    if (!outlen)
        return;
    out[0] = '\0';
    for (size_t i = 0; text && i < len && lines < max_lines;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t s = i, n = 0;
        while (s < e && (text[s] == ' ' || text[s] == '\t' || text[s] == '\r'))
            s++;
        i = e + 1;
        if (s == e)
            continue;
        if (lines++ && o + 3 < outlen) {
            memcpy(out + o, " | ", 3);
            o += 3;
        }
        for (size_t k = s; k < e && o + 1 < outlen; k++, n++) {
            unsigned char c = (unsigned char)text[k];
            if (n >= 80 && (c & 0xC0) != 0x80)
                break; /* cut at 80 bytes, never inside a UTF-8 sequence */
            out[o++] = c == '\r' || c == '\t' || c == '\0' ? ' ' : c < 0x20 ? '.' : (char)c;
        }
        out[o] = '\0';
    }
}

/* The languages SourcePrep reads Windows tools' text in, and helpers for label lines. */
#ifndef SP_LABELS_H
#define SP_LABELS_H

#include <stddef.h>

/* One table per language in the parsers that read text; the order here is the fallback
 * order after the server's own UI language. */
typedef enum {
    SP_LANG_EN,
    SP_LANG_DE,
    SP_LANG_FR,
    SP_LANG_ES,
    SP_LANG_IT,
    SP_LANG_NL,
    SP_LANG_PT_BR,
    SP_LANG_JA,
    SP_LANG_COUNT
} sp_lang;

/* The table for a Windows LANGID (GetSystemDefaultUILanguage: 0x0407 German...), by its
 * primary language; SP_LANG_COUNT for 0 or a language without a table. */
sp_lang sp_lang_of_langid(unsigned langid);
/* Every language once, the one of langid first: the order the parsers try the tables in. */
void sp_lang_order(unsigned langid, sp_lang order[SP_LANG_COUNT]);
const char *sp_lang_name(sp_lang l); /* "de-DE" */

/* Splits "Label: value", "Étiquette : valeur" or "ラベル：値" at its first colon (ASCII or
 * full-width): the label without the spaces around it into label, *value after the colon
 * and its spaces. 0 when the line has no colon or the label does not fit. */
int sp_label_split(const char *line, char *label, size_t labellen, const char **value);

/* a and b equal, ASCII letters compared without case (UTF-8 bytes as they are). */
int sp_label_eq(const char *a, const char *b);

/* The first max_lines non-empty lines of text, each cut to 80 bytes, joined with " | ", for
 * an error that shows what could not be read. */
void sp_first_lines(const char *text, size_t len, unsigned max_lines, char *out, size_t outlen);

#endif

/* What wbadmin's parsers share: its output cut into lines, and the start of a text for a message. */
#ifndef SP_WBLINE_H
#define SP_WBLINE_H

#include <stddef.h>

/* Copies the line of text starting at *pos into line (CR and NUL made spaces, cut to linelen - 1)
 * and moves *pos past its LF; 0 when no line is left. */
int sp_wb_next_line(const char *text, size_t len, size_t *pos, char *line, size_t linelen);

/* The first characters of text, unprintable ones as dots: what a "not wbadmin's" message quotes. */
void sp_wb_text_start(const char *text, size_t len, char *out, size_t outlen);

/* Copies the n characters at from into out without their trailing spaces (cut to outlen - 1). */
void sp_wb_copy_trimmed(char *out, size_t outlen, const char *from, size_t n);

#endif

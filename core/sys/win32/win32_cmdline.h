/* Internal: turning an argv into one Windows command line, kept pure so that tests can reach it. */
#ifndef SP_SYS_WIN32_CMDLINE_H
#define SP_SYS_WIN32_CMDLINE_H

/* Joins argv (NULL-terminated, UTF-8) into a command line that the Microsoft C runtime's
 * parser (and CommandLineToArgvW) splits back into exactly the same arguments: arguments
 * with spaces, tabs, newlines or quotes, and empty ones, are quoted; backslashes are doubled
 * only where they precede a quote. Returns a heap string, or NULL when argv is empty, when
 * the program name cannot be quoted (it contains a quote) or when out of memory. */
char *sp_win32_cmdline_build(const char *const *argv);

#endif

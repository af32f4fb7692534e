/* The one place the version is written: the report, the version resource and make dist read it. */
#ifndef SP_VERSION_H
#define SP_VERSION_H

#define SP_VERSION "0.1.0"
#define SP_VERSION_BINARY 0, 1, 0, 0

#endif

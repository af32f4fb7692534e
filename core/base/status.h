/* Status codes every core function returns. */
#ifndef SP_STATUS_H
#define SP_STATUS_H

typedef enum {
    SP_OK = 0,
    SP_ERR_NOTFOUND,    /* file, key, value, service or step does not exist */
    SP_ERR_ACCESS,      /* the account lacks the rights */
    SP_ERR_IO,          /* read, write or OS call failed */
    SP_ERR_UNSUPPORTED, /* this backend or OS cannot do it */
    SP_ERR_TIMEOUT,
    SP_ERR_INVALID,     /* bad argument */
    SP_ERR_NOMEM,
    SP_ERR_CANCELLED,
    SP_ERR_BADDATA,     /* malformed input: JSON, profile, state */
    SP_ERR_EXISTS
} sp_status;

/* A stable lowercase name for logs and reports ("notfound", "access", ...). */
const char *sp_status_name(sp_status s);

#endif

/* The restore drill's pure parts: a one-pass random sample of files, and the byte comparison. */
#ifndef SP_DRILL_H
#define SP_DRILL_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"
#include "core/sys/sys.h"

#define SP_DRILL_DEFAULT_K 20
#define SP_DRILL_MAX_K 500

/* Why a file is left out of the sample. */
typedef enum {
    SP_DRILL_KEEP = 0,
    SP_DRILL_EXCHANGE,   /* *.edb, *.stm; *.log, *.chk in MDBDATA: Exchange databases */
    SP_DRILL_DATABASE,   /* *.mdf, *.ldf: SharePoint's and other SQL Server databases */
    SP_DRILL_SYSTEM      /* paging and hibernation files, shadow copies, recycle bins */
} sp_drill_exclusion;

typedef struct {
    char *path;   /* heap Windows path */
    uint64_t size;
    int64_t mtime;
} sp_drill_pick;

typedef struct {
    sp_drill_pick *picks; /* k slots, count used */
    size_t k, count;
    uint64_t eligible;      /* files that could have been picked */
    uint64_t newer;         /* skipped: modified after the backup */
    uint64_t excluded;      /* left out: databases and system files */
    uint64_t unlisted_dirs; /* folders that could not be listed */
    char example_newer[260], example_excluded[260], example_unlisted[260];
    uint64_t rng;
    uint64_t not_backed_up; /* left out: FilesNotToBackup names them */
    uint64_t commas;        /* left out: a comma in the name (wbadmin cannot restore it by name) */
    char example_not_backed_up[260], example_comma[260];
} sp_drill_sample;

/* What the walk leaves out besides sp_drill_excluded. */
typedef struct {
    const char *const *skip_dirs; /* folders never walked (the restore folder), any case */
    size_t nskip;
    int (*not_backed_up)(const void *rules, const char *path); /* FilesNotToBackup's match */
    const void *rules;
    int no_commas;                /* leave out names that hold a comma */
} sp_drill_options;

/* Why path would be left out (path is a Windows path; is_dir for folders). */
sp_drill_exclusion sp_drill_excluded(const char *path, int is_dir);

/* Walks every root once and keeps a uniform random sample of k of the eligible files
 * (reservoir sampling: memory grows with k, never with the tree). Files modified after
 * backup_time are skipped and counted. seed makes a run repeatable. progress (optional)
 * is called every 1024 files with the count so far. SP_ERR_CANCELLED when *cancel. */
sp_status sp_drill_sample_tree(sp_sys *sys, const char *const *roots, size_t nroots, size_t k,
                               int64_t backup_time, uint64_t seed, volatile long *cancel,
                               void (*progress)(void *user, uint64_t seen), void *user,
                               sp_drill_sample *out);
/* The same with what opt (may be NULL) leaves out as well. */
sp_status sp_drill_sample_tree_with(sp_sys *sys, const char *const *roots, size_t nroots, size_t k,
                                    int64_t backup_time, uint64_t seed, volatile long *cancel,
                                    void (*progress)(void *user, uint64_t seen), void *user,
                                    const sp_drill_options *opt, sp_drill_sample *out);
void sp_drill_sample_free(sp_drill_sample *s);

typedef enum {
    SP_CMP_MATCH = 0,
    SP_CMP_DIFFERS,     /* offset: the first byte that differs (or where the shorter ends) */
    SP_CMP_MISSING,     /* the restored file is not there */
    SP_CMP_UNREADABLE,  /* one of them could not be read (locked, no rights): reason in sys */
    SP_CMP_SOURCE_GONE  /* the original is no longer there */
} sp_cmp_outcome;

typedef struct {
    sp_cmp_outcome outcome;
    uint64_t offset;
    uint64_t size;      /* of the original */
    char sha256[65];    /* of the original, "" unless asked for and read to the end */
} sp_cmp_result;

const char *sp_cmp_outcome_name(sp_cmp_outcome o);

/* Compares original with restored in chunks of bufsize / 2 (buf is the caller's, so one
 * allocation serves a whole drill); with want_hash also hashes the whole original.
 * SP_ERR_CANCELLED between two chunks when *cancel (optional) turns nonzero. */
sp_status sp_drill_compare(sp_sys *sys, const char *original, const char *restored,
                           unsigned char *buf, size_t bufsize, int want_hash,
                           volatile long *cancel, sp_cmp_result *out);

/* Where a file restored into folder is: folder\NN\name (wbadmin, one folder per file),
 * folder\C\path or folder\path (a tool that keeps the tree); the first that exists, or the
 * tree form when none does. index is the file's number in the sample (1-based). */
sp_status sp_drill_restored_path(sp_sys *sys, const char *folder, const char *original,
                                 unsigned index, char *out, size_t outlen);

#endif

/* Native benchmark of the restore drill (make bench): the comparison against cmp on the same
 * files in the same run, and the sampler's time against find and its memory against tree size.
 *   drillbench compare DIR MIB   makes MIB MiB of file pairs under DIR, prints the ratio to cmp
 *   drillbench tree DIR N        makes a tree of N empty files under DIR (if not there yet)
 *   drillbench sample DIR        samples 20 files of DIR's tree, prints time and peak memory */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/backup/drill.h"
#include "core/sys/posix/posix.h"
#include "core/sys/sim/sim.h"

#define PAIR_MIB 64
#define SIM_PROFILE "{\"os\": {\"major\": 5, \"minor\": 2, \"build\": 3790, \"product_type\": 3}}"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static sp_sys *open_sim(sp_sys *host, const char *root)
{
    sp_sys *sim = NULL;
    char err[300];
    if (sp_sim_open(SIM_PROFILE, strlen(SIM_PROFILE), host, root, &sim, err, sizeof err) != SP_OK) {
        fprintf(stderr, "drillbench: %s\n", err);
        exit(2);
    }
    return sim;
}

static void write_file(const char *path, size_t mib, unsigned seed)
{
    FILE *f = fopen(path, "wb");
    unsigned char *buf = malloc(1 << 20);
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    if (!f || !buf) {
        perror(path);
        exit(2);
    }
    for (size_t m = 0; m < mib; m++) {
        for (size_t i = 0; i < (1u << 20); i += 8) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            memcpy(buf + i, &x, 8);
        }
        fwrite(buf, 1, 1 << 20, f);
    }
    fclose(f);
    free(buf);
}

/* Time to run cmp over every pair, as a child process each, the way a person would. */
static double time_cmp(const char *root, int pairs)
{
    double t0 = now_s();
    for (int i = 0; i < pairs; i++) {
        char a[600], b[600];
        snprintf(a, sizeof a, "%s/C/orig/f%02d", root, i);
        snprintf(b, sizeof b, "%s/C/copy/f%02d", root, i);
        pid_t pid = fork();
        if (pid == 0) {
            execlp("cmp", "cmp", "-s", a, b, (char *)NULL);
            _exit(127);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "drillbench: cmp failed on pair %d\n", i);
            exit(2);
        }
    }
    return now_s() - t0;
}

static double time_drill(sp_sys *sim, int pairs, unsigned char *buf, size_t bufsize)
{
    double t0 = now_s();
    for (int i = 0; i < pairs; i++) {
        char a[64], b[64];
        sp_cmp_result r;
        snprintf(a, sizeof a, "C:\\orig\\f%02d", i);
        snprintf(b, sizeof b, "C:\\copy\\f%02d", i);
        if (sp_drill_compare(sim, a, b, buf, bufsize, 0, NULL, &r) != SP_OK || r.outcome != SP_CMP_MATCH) {
            fprintf(stderr, "drillbench: compare failed on pair %d: %s\n", i, sp_cmp_outcome_name(r.outcome));
            exit(2);
        }
    }
    return now_s() - t0;
}

static int bench_compare(const char *root, size_t mib)
{
    int pairs = (int)((mib + PAIR_MIB - 1) / PAIR_MIB);
    char path[600];
    snprintf(path, sizeof path, "%s/C/orig", root);
    mkdir(root, 0755);
    snprintf(path, sizeof path, "%s/C", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/C/orig", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/C/copy", root);
    mkdir(path, 0755);
    for (int i = 0; i < pairs; i++) {
        snprintf(path, sizeof path, "%s/C/orig/f%02d", root, i);
        write_file(path, PAIR_MIB, (unsigned)i);
        snprintf(path, sizeof path, "%s/C/copy/f%02d", root, i);
        write_file(path, PAIR_MIB, (unsigned)i);
    }
    sp_sys *host = sp_posix_open(), *sim = open_sim(host, root);
    size_t bufsize = 8u << 20; /* what the Backup step uses */
    unsigned char *buf = malloc(bufsize);
    double best_cmp = 1e9, best_drill = 1e9;
    time_cmp(root, pairs); /* warm the cache for both */
    for (int round = 0; round < 3; round++) {
        double c = time_cmp(root, pairs), d = time_drill(sim, pairs, buf, bufsize);
        best_cmp = c < best_cmp ? c : best_cmp;
        best_drill = d < best_drill ? d : best_drill;
    }
    double total = (double)pairs * PAIR_MIB;
    printf("drill compare: %.0f MiB in pairs: cmp %.0f MiB/s, drill %.0f MiB/s: ratio %.2f (budget 0.90): %s\n",
           total, total / best_cmp, total / best_drill, best_cmp / best_drill,
           best_cmp / best_drill >= 0.9 ? "within" : "UNDER");
    free(buf);
    sp_sys_close(sim);
    sp_sys_close(host);
    return 0;
}

static int bench_tree(const char *root, long n)
{
    char path[600];
    snprintf(path, sizeof path, "%s/.complete", root);
    if (access(path, F_OK) == 0)
        return 0;
    mkdir(root, 0755);
    snprintf(path, sizeof path, "%s/C", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/C/tree", root);
    mkdir(path, 0755);
    for (long i = 0; i < n; i++) {
        if (i % 1000 == 0) {
            snprintf(path, sizeof path, "%s/C/tree/d%04ld", root, i / 1000);
            mkdir(path, 0755);
        }
        snprintf(path, sizeof path, "%s/C/tree/d%04ld/f%07ld.dat", root, i / 1000, i);
        FILE *f = fopen(path, "wb");
        if (!f) {
            perror(path);
            return 2;
        }
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/.complete", root);
    fclose(fopen(path, "wb"));
    return 0;
}

static int bench_sample(const char *root)
{
    sp_sys *host = sp_posix_open(), *sim = open_sim(host, root);
    const char *roots[] = {"C:\\tree"};
    sp_drill_sample s;
    double t0 = now_s();
    sp_status st = sp_drill_sample_tree(sim, roots, 1, 20, INT64_MAX, 42, NULL, NULL, NULL, &s);
    double t = now_s() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (st != SP_OK) {
        fprintf(stderr, "drillbench: sampling failed: %s\n", sim->last_error);
        return 2;
    }
    printf("%.3f %llu %ld\n", t, (unsigned long long)s.eligible, ru.ru_maxrss);
    sp_drill_sample_free(&s);
    sp_sys_close(sim);
    sp_sys_close(host);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "compare") == 0)
        return bench_compare(argv[2], (size_t)atol(argv[3]));
    if (argc == 4 && strcmp(argv[1], "tree") == 0)
        return bench_tree(argv[2], atol(argv[3]));
    if (argc == 3 && strcmp(argv[1], "sample") == 0)
        return bench_sample(argv[2]);
    fprintf(stderr, "usage: drillbench compare DIR MIB | tree DIR N | sample DIR\n");
    return 2;
}

/* SHA-256 (FIPS 180-4), streamed: the evidence the restore drill records for each sampled file. */
#ifndef SP_SHA256_H
#define SP_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t bits;
    unsigned char block[64];
    size_t used;
} sp_sha256;

void sp_sha256_init(sp_sha256 *c);
void sp_sha256_update(sp_sha256 *c, const void *data, size_t len);
void sp_sha256_final(sp_sha256 *c, unsigned char digest[32]);
/* Lowercase hex of a digest into out (65 bytes with the NUL). */
void sp_sha256_hex(const unsigned char digest[32], char out[65]);

#endif

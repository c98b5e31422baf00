/*
 * hash.c - the caches' content hash (hash.h).
 */
#include "hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

void hash_init(Hash *s)
{
    s->h[0] = HASH_FNV_START;
    s->h[1] = 0x84222325cbf29ce4ull;
}

void hash_bytes(Hash *s, const void *p, size_t n)
{
    const uint8_t *b = p;
    s->h[0] = hash_fnv1a(s->h[0], p, n);
    for (size_t i = 0; i < n; i++)
        s->h[1] = (s->h[1] ^ b[i] ^ (uint8_t)(i * 131)) * 0x100000001b3ull;
}

void hash_u64(Hash *s, uint64_t v) { hash_bytes(s, &v, sizeof v); }

int hash_file(Hash *s, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        hash_bytes(s, buf, (size_t)n);
    int err = errno;
    close(fd);
    errno = err;
    return n < 0 ? -1 : 0;
}

void hash_hex(const Hash *s, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)s->h[0], (unsigned long long)s->h[1]);
}

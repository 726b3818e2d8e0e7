/* unbounded-thread-spawn in a TU built with -O2: glibc's ntohl and ntohs are
 * then macros over __bswap_32 and __bswap_16, which the count comes from.
 * (__OPTIMIZE__ is what -O defines; defined here so the default flags see
 * the optimised headers.) */
#define __OPTIMIZE__ 1
#include <arpa/inet.h>
#include <endian.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

void *work(void *arg);

/* positive: a count off the wire, through ntohl's macro */
void spawn_from_wire(int fd, pthread_t *t)
{
    uint32_t raw;
    if (read(fd, &raw, sizeof raw) != sizeof raw)
        return;
    uint32_t n = ntohl(raw);
    for (uint32_t i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL); // expect: unbounded-thread-spawn
}

/* positive: a 16-bit count through ntohs */
void spawn_from_port_field(uint16_t raw, pthread_t *t)
{
    unsigned n = ntohs(raw);
    for (unsigned i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL); // expect: unbounded-thread-spawn
}

/* positive: be32toh over a header word */
void spawn_from_header(uint32_t word, pthread_t *t)
{
    uint32_t n = be32toh(word);
    for (uint32_t i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL); // expect: unbounded-thread-spawn
}

/* negative: the converted count is clamped before the loop */
void spawn_clamped(uint32_t raw, pthread_t *t)
{
    uint32_t n = ntohl(raw);
    if (n > 8)
        n = 8;
    for (uint32_t i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL);
}

/* negative: a fixed count, the swapped value only sizes a buffer */
void spawn_fixed(uint32_t raw, pthread_t *t, char *buf)
{
    uint32_t len = ntohl(raw);
    buf[len & 63] = 0;
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, work, NULL);
}

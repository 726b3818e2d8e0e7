/* A pipe created before fork(): the token is shared with the children and
 * guards data in shared memory.  A cross-process lock, not a finding. */
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

static int tok[2];
static long *shared_counter;

int start_children(int n)
{
    char c = 't';
    if (pipe(tok) < 0 || write(tok[1], &c, 1) != 1)
        return -1;
    shared_counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < n; i++)
        if (fork() == 0) {
            char t;
            if (read(tok[0], &t, 1) == 1) {
                (*shared_counter)++;
                if (write(tok[1], &t, 1) != 1)
                    _exit(1);
            }
            _exit(0);
        }
    return 0;
}

void bump_shared(void)
{
    char t;
    if (read(tok[0], &t, 1) != 1)
        return;
    (*shared_counter)++;
    if (write(tok[1], &t, 1) != 1)
        return;
}

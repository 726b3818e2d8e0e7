#include <stdatomic.h>
#include <stdbool.h>
struct ticket { atomic_uint next, serving; };   // expect: false-sharing-atomics

/* Every implementation of the shape ops is arithmetic on the object; the
 * hash function given to map_init is pure too. */
#include <stddef.h>
#include "shapes.h"

static double square_area(const struct shape *s) { return s->w * s->w; }
static double rect_area(const struct shape *s) { return s->w * s->h; }
static int square_sides(const struct shape *s) { (void)s; return 4; }

const struct shape_ops square_ops = { .area = square_area, .sides = square_sides };
const struct shape_ops rect_ops = { .area = rect_area, .sides = square_sides };

static size_t hash_str(const char *k)
{
    size_t h = 5381;
    while (*k) h = h * 33 + (unsigned char)*k++;
    return h;
}

void shapes_setup(struct registry *r)
{
    map_init(&r->by_name, hash_str);
    struct shape_ops local = { .area = rect_area, .sides = square_sides };
    r->fallback = local;
}

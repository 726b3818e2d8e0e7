/* An unlocked string-keyed hash map (hashmap.c); each user file brings its
 * own file-scope lock. */
#ifndef HASHMAP_H
#define HASHMAP_H
struct hashmap;
void *hm_lookup(struct hashmap *m, const char *key);
int hm_insert(struct hashmap *m, const char *key, void *val);
void *hm_erase(struct hashmap *m, const char *key);
#endif

/* registry.c - the sorted list of every rule (from registry.def). */
#include <string.h>
#include "rule.h"

#define SL_RULE(n) extern const struct sl_rule sl_rule_##n;
#include "registry.def"
#undef SL_RULE

const struct sl_rule *const sl_rules[] = {
#define SL_RULE(n) &sl_rule_##n,
#include "registry.def"
#undef SL_RULE
};

const size_t sl_rule_count = sizeof sl_rules / sizeof sl_rules[0];

const struct sl_rule *sl_rule_find(const char *id)
{
    for (size_t i = 0; i < sl_rule_count; i++)
        if (strcmp(sl_rules[i]->id, id) == 0) return sl_rules[i];
    return NULL;
}

const char *sl_opt_type_name(enum sl_opt_type t)
{
    switch (t) {
    case SL_OPT_BOOL: return "bool";
    case SL_OPT_INT: return "int";
    case SL_OPT_STRING: return "string";
    case SL_OPT_STRING_LIST: return "string-list";
    }
    return "?";
}

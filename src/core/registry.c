/* The exporter registry: an instance (no globals) pre-filled with the
 * built-in table from exporters/builtin.c. */
#include "core.h"
#include <stdlib.h>
#include <string.h>

/* Defined in exporters/builtin.c: NULL-terminated. */
extern const mtport_exporter *const mtport_builtin_exporters[];

struct mtport_registry {
  const mtport_exporter **v;
  size_t n, cap;
};

int mtport_registry_add(mtport_registry *reg, const mtport_exporter *e) {
  if (!e || e->version < 1 || e->version > MTPORT_EXPORTER_VERSION ||
      !e->name || !e->begin || !e->entry || !e->end)
    return MTPORT_EINVALID;
  if (e->version >= 2 && e->prepare && !e->release)
    return MTPORT_EINVALID;
  if (e->version >= 3 && (!e->save != !e->load || (e->save && !e->prepare)))
    return MTPORT_EINVALID;
  if (mtport_registry_find(reg, e->name))
    return MTPORT_EEXISTS;
  if (reg->n == reg->cap) {
    size_t cap = reg->cap ? reg->cap * 2 : 8;
    const mtport_exporter **v = realloc(reg->v, cap * sizeof *v);
    if (!v)
      return MTPORT_ENOMEM;
    reg->v = v;
    reg->cap = cap;
  }
  reg->v[reg->n++] = e;
  return MTPORT_OK;
}

int mtport_registry_new(mtport_registry **out) {
  *out = NULL;
  mtport_registry *reg = calloc(1, sizeof *reg);
  if (!reg)
    return MTPORT_ENOMEM;
  for (size_t i = 0; mtport_builtin_exporters[i]; i++) {
    int rc = mtport_registry_add(reg, mtport_builtin_exporters[i]);
    if (rc != MTPORT_OK) {
      mtport_registry_free(reg);
      return rc;
    }
  }
  *out = reg;
  return MTPORT_OK;
}

const mtport_exporter *mtport_registry_find(const mtport_registry *reg,
                                            const char *name) {
  for (size_t i = 0; name && i < reg->n; i++)
    if (strcmp(reg->v[i]->name, name) == 0)
      return reg->v[i];
  return NULL;
}

size_t mtport_registry_count(const mtport_registry *reg) { return reg->n; }

const mtport_exporter *mtport_registry_at(const mtport_registry *reg,
                                          size_t i) {
  return i < reg->n ? reg->v[i] : NULL;
}

void mtport_registry_free(mtport_registry *reg) {
  if (!reg)
    return;
  free(reg->v);
  free(reg);
}

/* The one hash set of libmtport: byte strings with a stable index each,
 * kept in memory or, for sets that grow with the posts of a run, in a
 * spool (then 8 bytes of memory per string).
 *
 * A slot holds where the string's record starts (40 bits, plus one) and 24
 * more bits of its hash, so a lookup reads a record back only when those
 * bits match: equal strings, or about one in 16 million others. A record
 * is the key's length and index (4 bytes each), then the key. */
#include "core.h"
#include <stdlib.h>
#include <string.h>

#define S_HDR 8 /* length, index */
#define S_OFF_MAX ((uint64_t)1 << 40)

struct mtport_strset {
  uint64_t *slot; /* 0 empty, else (offset + 1) << 24 | hash >> 40 */
  size_t cap, n;
  /* records: in memory (arena, with each record's offset for key()) or in
   * a spool (key bytes read back into tmp) */
  mtport_buf arena;
  uint64_t *offs;
  size_t offs_cap;
  mtport_spool *spool;
  char *tmp;
  size_t tmp_cap;
};

static uint64_t S_hash(const unsigned char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a, then mixed */
  for (size_t i = 0; i < n; i++)
    h = (h ^ s[i]) * 1099511628211ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

/* A capacity need not be a power of two: the bucket is scaled from the
 * hash's low 32 bits. */
static size_t S_bucket(uint64_t h, size_t cap) {
  return (size_t)(((h & 0xFFFFFFFFu) * (uint64_t)cap) >> 32);
}

int mtport_strset_new(mtport_strset **out, unsigned flags) {
  mtport_strset *set = calloc(1, sizeof *set);
  if (!set)
    return MTPORT_ENOMEM;
  if ((flags & MTPORT_STRSET_SPOOL) &&
      mtport_spool_new(&set->spool, "set") != MTPORT_OK) {
    free(set);
    return MTPORT_ENOMEM;
  }
  *out = set;
  return MTPORT_OK;
}

void mtport_strset_free(mtport_strset *set) {
  if (!set)
    return;
  free(set->slot);
  mtport_buf_dispose(&set->arena);
  free(set->offs);
  mtport_spool_free(set->spool);
  free(set->tmp);
  free(set);
}

size_t mtport_strset_count(const mtport_strset *set) { return set->n; }

int mtport_strset_errno(const mtport_strset *set) {
  return set ? mtport_spool_errno(set->spool) : 0;
}

/* The record at slot value @v: *key points at its bytes (in the arena, or
 * read into set->tmp), *len and *index get its header. */
static int S_record(mtport_strset *set, uint64_t v, const unsigned char **key,
                    uint32_t *len, uint32_t *index) {
  uint64_t off = (v >> 24) - 1;
  uint32_t hdr[2];
  if (!set->spool) {
    memcpy(hdr, set->arena.data + off, sizeof hdr);
    *key = (const unsigned char *)set->arena.data + off + S_HDR;
  } else {
    int rc = mtport_spool_read(set->spool, off, hdr, sizeof hdr);
    if (rc)
      return rc;
    if ((size_t)hdr[0] + 1 > set->tmp_cap) {
      char *t = realloc(set->tmp, (size_t)hdr[0] + 1);
      if (!t)
        return MTPORT_ENOMEM;
      set->tmp = t;
      set->tmp_cap = (size_t)hdr[0] + 1;
    }
    if ((rc = mtport_spool_read(set->spool, off + S_HDR, set->tmp, hdr[0])))
      return rc;
    *key = (const unsigned char *)set->tmp;
  }
  *len = hdr[0];
  *index = hdr[1];
  return MTPORT_OK;
}

/* 1 with *index when @key is in the set, 0 when not, or an error. */
static int S_find(mtport_strset *set, const unsigned char *key, size_t len,
                  uint64_t h, size_t *index) {
  if (!set->cap)
    return 0;
  uint64_t frag = h >> 40;
  for (size_t i = S_bucket(h, set->cap);; i = i + 1 == set->cap ? 0 : i + 1) {
    uint64_t v = set->slot[i];
    if (!v)
      return 0;
    if ((v & 0xFFFFFF) != frag)
      continue;
    const unsigned char *k;
    uint32_t klen, kidx;
    int rc = S_record(set, v, &k, &klen, &kidx);
    if (rc)
      return rc;
    if (klen == len && memcmp(k, key, len) == 0) {
      if (index)
        *index = kidx;
      return 1;
    }
  }
}

int mtport_strset_find(mtport_strset *set, const void *key, size_t len,
                       size_t *index) {
  return S_find(set, key, len, S_hash(key, len), index);
}

int mtport_strset_reserve(mtport_strset *set, size_t n) {
  size_t cap = n + n / 4 + 64; /* at most 80% full */
  if (cap <= set->cap)
    return MTPORT_OK;
  if (cap > 0xFFFFFFFFu)
    return MTPORT_ENOMEM; /* S_bucket() needs a 32-bit capacity */
  uint64_t *ns = calloc(cap, sizeof *ns);
  if (!ns)
    return MTPORT_ENOMEM;
  for (size_t i = 0; i < set->cap; i++) {
    uint64_t v = set->slot[i];
    if (!v)
      continue;
    const unsigned char *k; /* the bucket needs the whole hash */
    uint32_t klen, kidx;
    int rc = S_record(set, v, &k, &klen, &kidx);
    if (rc) {
      free(ns);
      return rc;
    }
    size_t j = S_bucket(S_hash(k, klen), cap);
    while (ns[j])
      j = j + 1 == cap ? 0 : j + 1;
    ns[j] = v;
  }
  free(set->slot);
  set->slot = ns;
  set->cap = cap;
  return MTPORT_OK;
}

int mtport_strset_add(mtport_strset *set, const void *key, size_t len,
                      size_t *index) {
  uint64_t h = S_hash(key, len);
  int rc = S_find(set, key, len, h, index);
  if (rc)
    return rc < 0 ? rc : 0;
  if (len > 0xFFFFFFFFu || set->n >= 0xFFFFFFFFu)
    return MTPORT_EINVALID;
  if ((set->n + 1) * 5 > set->cap * 4 &&
      (rc = mtport_strset_reserve(set, set->n + set->n / 2 + 1)))
    return rc;
  uint32_t hdr[2] = {(uint32_t)len, (uint32_t)set->n};
  uint64_t off;
  if (set->spool) {
    if ((rc = mtport_spool_append(set->spool, hdr, sizeof hdr, &off)) ||
        (rc = mtport_spool_append(set->spool, key, len, NULL)))
      return rc;
  } else {
    if (set->n == set->offs_cap) {
      size_t nc = set->offs_cap ? set->offs_cap * 2 : 16;
      uint64_t *no = realloc(set->offs, nc * sizeof *no);
      if (!no)
        return MTPORT_ENOMEM;
      set->offs = no;
      set->offs_cap = nc;
    }
    off = set->arena.len;
    /* the NUL after each key lets key() hand out C strings */
    if ((rc = mtport_buf_append(&set->arena, (const char *)hdr, sizeof hdr)) ||
        (rc = mtport_buf_append(&set->arena, key, len)) ||
        (rc = mtport_buf_putc(&set->arena, '\0')))
      return rc;
    set->offs[set->n] = off;
  }
  if (off + 1 >= S_OFF_MAX)
    return MTPORT_EIO; /* a terabyte of strings */
  size_t j = S_bucket(h, set->cap);
  while (set->slot[j])
    j = j + 1 == set->cap ? 0 : j + 1;
  set->slot[j] = (off + 1) << 24 | h >> 40;
  if (index)
    *index = set->n;
  set->n++;
  return 1;
}

const char *mtport_strset_key(const mtport_strset *set, size_t index,
                              size_t *len) {
  if (set->spool || index >= set->n)
    return NULL;
  uint32_t klen;
  memcpy(&klen, set->arena.data + set->offs[index], sizeof klen);
  if (len)
    *len = klen;
  return set->arena.data + set->offs[index] + S_HDR;
}

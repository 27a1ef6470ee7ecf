#define _GNU_SOURCE /* sched_getaffinity(), CPU_COUNT() */
/* The pipeline: inputs read through an importer, posts handed to the
 * exporter in input order, Markdown conversions on worker threads, and
 * the spools of exporters with a first pass. */
#include "html2md/html2md.h"
#include "postspool.h"
#include "run_int.h"
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 once the caller asked the run to stop. */
static int S_cancelled(const mtport_ctx *ctx) {
  return ctx->cancel && *ctx->cancel;
}

/* Opens input @i of ctx->inputs (a file, "-", or an archive's XML, whose
 * reading the cancel flag stops between posts). */
static int S_open_reader(mtport_ctx *ctx, mtport_reader **r, size_t i) {
  if (S_cancelled(ctx))
    return MTPORT_ECANCELED;
  mtport_reader_options ro = ctx->opts->reader;
  ro.diag = mtport__reader_tap;
  ro.diag_payload = ctx;
  ctx->input_name = ctx->inputs[i];
  if (ctx->parts[i] >= 0)
    return mtport__assets_open_reader(ctx, i, &ro, r);
  return mtport_reader__open(r, ctx->inputs[i], &ro, ctx->cancel);
}

/* ---- the entry pass with prepare() on worker threads --------------------
 *
 * The calling thread reads posts into a window of up to S_WINDOW (fewer
 * when their texts pass S_WINDOW_BYTES, never fewer than one) and hands them
 * to entry() in input order; prepare() runs on workers meanwhile, and on
 * the calling thread too whenever the oldest post is not ready. Reader
 * diagnostics are held with their post and replayed just before its
 * entry(), so what a run prints, and in which order, does not depend on
 * the number of threads or their timing. Memory: the window, so a constant
 * number of posts.
 *
 * An exporter with a prepass() gets its posts from a spool: the first
 * pass, which reads the inputs, writes each post there as it hands it to
 * prepass(), so the second reads no XML. When the exporter can save what
 * prepare() makes, the first pass also queues posts for the workers, which
 * would otherwise wait for the reader; what they make goes to a second
 * spool and is loaded in the second pass. A post the workers had no room
 * for is prepared in the second pass, so the output is the same however
 * many were prepared early. */

#define S_WINDOW 16
/* A few MB: ordinary posts fill the window by count long before, while a
 * post of several MB (whose conversion takes tens of times its size in
 * memory) is converted with few others beside it. */
#define S_WINDOW_BYTES ((size_t)4 << 20)

/* ---- spools ------------------------------------------------------------ */

/* A temporary file written once from start to end, then read once the
 * same way, through a buffer of about S_SPOOL_CHUNK. */
typedef struct S_spool {
  int fd;
  uint64_t written; /* bytes written out (or tried) so far */
  mtport_buf w;     /* records not yet written out */
  char *r;          /* read buffer */
  size_t rlen, rpos;
} S_spool;

#define S_SPOOL_CHUNK ((size_t)1 << 20)

/* A spooled post: its input, the reader's progress after it, then @len
 * bytes of mtport__post_save(). @origin is 0 when the post came from its
 * input's file, else 1 + the index of the file it names in ctx->origins (a
 * split backup's later part). Native byte order: the file lives and dies
 * with the process. */
typedef struct S_rec {
  uint64_t len, done, total;
  uint32_t input, origin;
} S_rec;

/* What prepare() made for post number @seq: @has 0 when it made nothing,
 * else @len bytes of save(). */
typedef struct S_prec {
  uint64_t seq, len;
  uint32_t has, pad;
} S_prec;

static void S_spool_init(S_spool *sp) {
  memset(sp, 0, sizeof *sp);
  sp->fd = -1;
}

static void S_spool_close(S_spool *sp) {
  if (sp->fd >= 0)
    close(sp->fd);
  mtport_buf_dispose(&sp->w);
  free(sp->r);
  S_spool_init(sp);
}

static int S_spool_flush(S_spool *sp) {
  sp->written += sp->w.len;
  int rc =
      mtport__write_all(sp->fd, sp->w.data, sp->w.len) ? MTPORT_EIO : MTPORT_OK;
  mtport_buf_clear(&sp->w);
  if (sp->w.cap > 4 * S_SPOOL_CHUNK) /* after a huge post */
    mtport_buf_dispose(&sp->w);
  return rc;
}

/* Reads n bytes. MTPORT_OK; 1 at the end of the spool before any byte;
 * MTPORT_EIO when it cannot be read or ends inside a record. */
static int S_spool_read(S_spool *sp, void *dst, size_t n) {
  char *d = dst;
  size_t got = 0;
  while (got < n) {
    if (sp->rpos == sp->rlen) {
      ssize_t k = read(sp->fd, sp->r, S_SPOOL_CHUNK);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0)
        return got == 0 && k == 0 ? 1 : MTPORT_EIO;
      sp->rlen = (size_t)k;
      sp->rpos = 0;
    }
    size_t m = sp->rlen - sp->rpos;
    if (m > n - got)
      m = n - got;
    memcpy(d + got, sp->r + sp->rpos, m);
    sp->rpos += m;
    got += m;
  }
  return MTPORT_OK;
}

/* Reads a record's @len bytes into @b (emptied first). */
static int S_spool_read_buf(S_spool *sp, uint64_t len, mtport_buf *b) {
  mtport_buf_clear(b);
  if (len > SIZE_MAX - 1)
    return MTPORT_EIO;
  if (b->cap < len + 1) {
    char *d = realloc(b->data, (size_t)len + 1);
    if (!d)
      return MTPORT_ENOMEM;
    b->data = d;
    b->cap = (size_t)len + 1;
  }
  int rc = len ? S_spool_read(sp, b->data, (size_t)len) : MTPORT_OK;
  if (rc != MTPORT_OK)
    return rc < 0 ? rc : MTPORT_EIO;
  b->len = (size_t)len;
  b->data[b->len] = '\0';
  return MTPORT_OK;
}

/* Done writing: the next read starts at the beginning. */
static int S_spool_rewind(S_spool *sp) {
  int rc = S_spool_flush(sp);
  mtport_buf_dispose(&sp->w);
  if (rc == MTPORT_OK && lseek(sp->fd, 0, SEEK_SET) != 0)
    rc = MTPORT_EIO;
  if (rc == MTPORT_OK && !(sp->r = malloc(S_SPOOL_CHUNK)))
    rc = MTPORT_ENOMEM;
  return rc;
}

/* The first pass's copies: the posts, and what was prepared early. */
typedef struct S_spools {
  S_spool posts, preps;
  int posts_ok, preps_ok;
} S_spools;

/* @n bytes for people: "812 KB", "3.4 MB". */
static void S_size(char *out, size_t size, uint64_t n) {
  if (n < ((uint64_t)1 << 20))
    snprintf(out, size, "%llu KB", (unsigned long long)((n + 1023) >> 10));
  else
    snprintf(out, size, "%.1f MB", (double)n / (1 << 20));
}

/* The post copy failed (no room in $TMPDIR, say): the inputs will be read
 * again, which only regular files can be (standard input, a FIFO or a
 * /dev/fd pipe would be empty, or block, the second time). */
static int S_posts_lost(mtport_ctx *ctx, S_spools *sp, int err,
                        const char *const *inputs, size_t n) {
  uint64_t had = sp->posts.written + sp->posts.w.len;
  S_spool_close(&sp->posts);
  S_spool_close(&sp->preps);
  sp->posts_ok = sp->preps_ok = 0;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    int is_stdin = strcmp(inputs[i], "-") == 0;
    if (!is_stdin && stat(inputs[i], &st) == 0 && S_ISREG(st.st_mode))
      continue;
    char need[32];
    S_size(need, sizeof need, had);
    mtport__run_diag(
        ctx, MTPORT_SEV_FATAL, "spool-failed",
        "cannot keep a copy of the posts in $TMPDIR (%s): %s after %s; "
        "%s is not a regular file and cannot be read a second time: give "
        "$TMPDIR more than %s (about the size of the input), or convert "
        "from a file",
        mtport__temp_dir(), strerror(err), need,
        is_stdin ? "standard input" : inputs[i], need);
    return MTPORT_EIO;
  }
  mtport__run_diag(
      ctx, MTPORT_SEV_NOTE, "spool-failed",
      "cannot keep a copy of the posts in a temporary file in $TMPDIR "
      "(%s): %s; the inputs will be read again",
      mtport__temp_dir(), strerror(err));
  return MTPORT_OK;
}

/* Appends @p (read from input @input by @r) to the post spool. */
/* The file a post names when it is not its input's: 1 + its index in
 * ctx->origins (kept for the run; a backup has few parts), or 0. */
static uint32_t S_origin(mtport_ctx *ctx, const char *input,
                         const mtport_post *p) {
  const char *f = p->origin.file;
  if (!f || !input || strcmp(f, input) == 0)
    return 0;
  for (size_t k = 0; k < ctx->n_origins; k++)
    if (strcmp(ctx->origins[k], f) == 0)
      return (uint32_t)k + 1;
  char **no = realloc(ctx->origins, (ctx->n_origins + 1) * sizeof *no);
  if (!no)
    return 0;
  ctx->origins = no;
  if (!(no[ctx->n_origins] = mtport__strdup(f)))
    return 0;
  return (uint32_t)++ctx->n_origins;
}

static int S_spool_post(S_spools *sp, mtport_reader *r, size_t input,
                        uint32_t origin, const mtport_post *p) {
  S_rec h;
  memset(&h, 0, sizeof h);
  h.done = mtport_reader__consumed(r, &h.total);
  h.input = (uint32_t)input;
  h.origin = origin;
  mtport_buf *w = &sp->posts.w;
  size_t at = w->len;
  int rc = mtport_buf_append(w, (const char *)&h, sizeof h);
  if (rc == MTPORT_OK)
    rc = mtport__post_save(w, p);
  if (rc != MTPORT_OK) {
    w->len = at;
    return rc;
  }
  h.len = w->len - at - sizeof h;
  memcpy(w->data + at, &h, sizeof h);
  if (w->len >= S_SPOOL_CHUNK)
    return S_spool_flush(&sp->posts);
  return MTPORT_OK;
}

/* ---- the worker pool --------------------------------------------------- */

/* Memory is freed by the thread that allocated it wherever the pipeline
 * can arrange it: glibc gives each thread its own arena, and a free into
 * another thread's arena takes that arena's lock, which the owner holds
 * for its own allocations. (Measured: a lock wait per post, and a third
 * more CPU time, when workers freed posts and the calling thread freed
 * what workers made.) So posts are freed by the calling thread, which
 * read them; what a worker prepared goes back to the workers to release
 * (the "trash"); saved bytes live in buffers that stay with their window
 * slot; and what the first pass saved is loaded by the calling thread. */

typedef struct S_job {
  mtport_post *post;
  void *prep;
  int rc;
  int state;     /* S_QUEUED, S_RUNNING, S_DONE */
  int mode;      /* S_PREPARE, S_EARLY */
  int has;       /* S_EARLY: prepare() made something, saved in @saved */
  int by_worker; /* @prep was made on a worker thread */
  size_t bytes;
  uint64_t seq, done, total; /* post number; the reader's progress */
  const char *input;         /* the input it came from */
  mtport_buf *saved;         /* S_EARLY: its slot's buffer for save() */
  mtport__dlist diags;
  int rewritten;             /* the asset layer rewrote its texts, */
  mtport_assets_found found; /* finding this */
} S_job;

enum { S_QUEUED, S_RUNNING, S_DONE };
/* prepare() for entry(); prepare() and save() during the first pass */
enum { S_PREPARE, S_EARLY };

#define S_TRASH 64

typedef struct S_pool {
  pthread_mutex_t mu;
  pthread_cond_t work; /* a job was queued, or stop */
  pthread_cond_t done; /* a job is done */
  S_job ring[S_WINDOW];
  mtport_buf saved[S_WINDOW]; /* one per slot, kept for reuse */
  size_t head, n, bytes;
  void *trash[S_TRASH]; /* prepared results for the workers to release, */
  size_t n_trash, trash_bytes; /* of posts of so many bytes */
  int stop;
  const mtport_exporter *exp;
  const void *state;
  mtport_assets *assets; /* texts are rewritten before prepare(), or NULL */
  pthread_t th[15];
  size_t nth;
} S_pool;

/* The oldest queued job, marked running; NULL when none. Under the lock. */
static S_job *S_take(S_pool *pl) {
  for (size_t i = 0; i < pl->n; i++) {
    S_job *j = &pl->ring[(pl->head + i) % S_WINDOW];
    if (j->state == S_QUEUED) {
      j->state = S_RUNNING;
      return j;
    }
  }
  return NULL;
}

/* Runs job @j without the lock (@worker: on a worker thread); marks it
 * done. Under the lock. A running job is its thread's alone. */
static void S_run_job(S_pool *pl, S_job *j, int worker) {
  pthread_mutex_unlock(&pl->mu);
  const mtport_exporter *e = pl->exp;
  void *prep = NULL;
  int rc = MTPORT_OK;
  if (pl->assets && j->mode == S_PREPARE) {
    rc = mtport__assets_rewrite(pl->assets, j->post, j->seq, &j->found);
    j->rewritten = 1;
  }
  if (rc == MTPORT_OK)
    rc = e->prepare(pl->state, j->post, &prep);
  if (j->mode == S_EARLY) {
    /* only the bytes are kept, so the window holds no more than usual */
    j->has = prep != NULL;
    mtport_buf_clear(j->saved);
    if (rc == MTPORT_OK && prep)
      rc = e->save(prep, j->saved);
    if (prep)
      e->release(prep);
    prep = NULL;
  }
  pthread_mutex_lock(&pl->mu);
  j->prep = prep;
  j->by_worker = worker;
  j->rc = rc;
  j->state = S_DONE;
  pthread_cond_broadcast(&pl->done);
}

/* Releases what is in the trash, without the lock. Under the lock. */
static void S_empty_trash(S_pool *pl) {
  void *t[S_TRASH];
  size_t n = pl->n_trash;
  memcpy(t, pl->trash, n * sizeof *t);
  pl->n_trash = 0;
  pl->trash_bytes = 0;
  pthread_mutex_unlock(&pl->mu);
  for (size_t i = 0; i < n; i++)
    pl->exp->release(t[i]);
  pthread_mutex_lock(&pl->mu);
}

/* Done with a prepared result (for a post of @bytes): to the trash when a
 * worker made it and the trash holds no more than the window would. */
static void S_discard(S_pool *pl, void *prep, int by_worker, size_t bytes) {
  if (!prep)
    return;
  if (by_worker) {
    pthread_mutex_lock(&pl->mu);
    int put = pl->n_trash < S_TRASH &&
              (pl->n_trash == 0 || pl->trash_bytes < S_WINDOW_BYTES);
    if (put) {
      pl->trash[pl->n_trash++] = prep;
      pl->trash_bytes += bytes;
    }
    pthread_mutex_unlock(&pl->mu);
    if (put)
      return;
  }
  pl->exp->release(prep);
}

static void *S_worker(void *arg) {
  S_pool *pl = arg;
  pthread_mutex_lock(&pl->mu);
  for (;;) {
    if (pl->n_trash) {
      S_empty_trash(pl);
      continue;
    }
    S_job *j = S_take(pl);
    if (j) {
      S_run_job(pl, j, 1);
      continue;
    }
    if (pl->stop)
      break;
    pthread_cond_wait(&pl->work, &pl->mu);
  }
  pthread_mutex_unlock(&pl->mu);
  return NULL;
}

/* CPUs this process may run on. */
static unsigned S_cpus(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return (unsigned)CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1u;
}

/* Starts the workers: @jobs threads in all, the calling one included. */
static int S_pool_start(S_pool *pl, const mtport_exporter *exp,
                        const void *state, unsigned jobs) {
  memset(pl, 0, sizeof *pl);
  /* the converter sets up its globals and libxml2's here, once, before
   * any worker can race to do it */
  mtport_md__init();
  pl->exp = exp;
  pl->state = state;
  if (pthread_mutex_init(&pl->mu, NULL) != 0)
    return MTPORT_ENOMEM;
  if (pthread_cond_init(&pl->work, NULL) != 0) {
    pthread_mutex_destroy(&pl->mu);
    return MTPORT_ENOMEM;
  }
  if (pthread_cond_init(&pl->done, NULL) != 0) {
    pthread_cond_destroy(&pl->work);
    pthread_mutex_destroy(&pl->mu);
    return MTPORT_ENOMEM;
  }
  size_t want = jobs > 1 ? jobs - 1 : 0;
  if (want > sizeof pl->th / sizeof *pl->th)
    want = sizeof pl->th / sizeof *pl->th;
  /* fewer threads than asked is still a correct run */
  while (pl->nth < want &&
         pthread_create(&pl->th[pl->nth], NULL, S_worker, pl) == 0)
    pl->nth++;
  return MTPORT_OK;
}

/* Stops the workers; every job must be gone. */
static void S_pool_stop(S_pool *pl) {
  pthread_mutex_lock(&pl->mu);
  pl->stop = 1;
  pthread_cond_broadcast(&pl->work);
  pthread_mutex_unlock(&pl->mu);
  for (size_t i = 0; i < pl->nth; i++)
    pthread_join(pl->th[i], NULL);
  for (size_t i = 0; i < pl->n_trash; i++)
    pl->exp->release(pl->trash[i]);
  for (size_t i = 0; i < S_WINDOW; i++)
    mtport_buf_dispose(&pl->saved[i]);
  pthread_cond_destroy(&pl->done);
  pthread_cond_destroy(&pl->work);
  pthread_mutex_destroy(&pl->mu);
}

/* Bytes of a post's texts: what the window budget counts. */
static size_t S_post_bytes(const mtport_post *p) {
  size_t n = 256;
  const mtport_text *t[] = {&p->body, &p->more, &p->excerpt};
  for (size_t i = 0; i < 3; i++)
    if (t[i]->text)
      n += strlen(t[i]->text);
  for (size_t i = 0; i < p->n_comments; i++)
    if (p->comments[i].body.text)
      n += strlen(p->comments[i].body.text);
  return n;
}

/* Frees what a job holds. */
static void S_job_dispose(S_job *j, const mtport_exporter *exp) {
  if (j->prep)
    exp->release(j->prep);
  mtport_post_free(j->post);
  mtport__dlist_dispose(&j->diags);
  mtport_assets_found_dispose(&j->found);
  memset(j, 0, sizeof *j);
}

/* Room for one more job. Under the lock. */
static int S_room(const S_pool *pl) {
  return pl->n < S_WINDOW && (pl->n == 0 || pl->bytes < S_WINDOW_BYTES);
}

/* Queues @j (copied) as the newest job. */
static void S_push(S_pool *pl, const S_job *j) {
  pthread_mutex_lock(&pl->mu);
  size_t at = (pl->head + pl->n) % S_WINDOW;
  S_job *slot = &pl->ring[at];
  *slot = *j;
  slot->saved = &pl->saved[at];
  pl->n++;
  pl->bytes += j->bytes;
  if (slot->state == S_QUEUED)
    pthread_cond_signal(&pl->work);
  pthread_mutex_unlock(&pl->mu);
}

/* Drops every job in the window (after a failure): waits for the running
 * ones, releases what was prepared. */
static void S_pool_drain(S_pool *pl) {
  pthread_mutex_lock(&pl->mu);
  while (pl->n) {
    S_job *j = &pl->ring[pl->head];
    while (j->state == S_RUNNING)
      pthread_cond_wait(&pl->done, &pl->mu);
    S_job_dispose(j, pl->exp);
    pl->head = (pl->head + 1) % S_WINDOW;
    pl->n--;
  }
  pl->bytes = 0;
  pthread_mutex_unlock(&pl->mu);
}

/* ---- the first pass of an exporter with a prepass ------------------------ */

/* Writes out the early jobs that are done, oldest first; with @finish all
 * of them, this thread taking its share of those still queued. */
static void S_early_collect(S_pool *pl, S_spools *sp, int finish) {
  pthread_mutex_lock(&pl->mu);
  while (pl->n) {
    S_job *h = &pl->ring[pl->head];
    if (h->state != S_DONE) {
      if (!finish)
        break;
      S_job *j = S_take(pl);
      if (j)
        S_run_job(pl, j, 0);
      else
        pthread_cond_wait(&pl->done, &pl->mu);
      continue;
    }
    S_job j = *h;
    memset(h, 0, sizeof *h);
    pl->head = (pl->head + 1) % S_WINDOW;
    pl->n--;
    pl->bytes -= j.bytes;
    pthread_mutex_unlock(&pl->mu);
    /* a failed prepare() is left for the second pass to meet in order */
    if (sp->preps_ok && j.rc == MTPORT_OK) {
      S_prec h2;
      memset(&h2, 0, sizeof h2);
      h2.seq = j.seq;
      h2.has = (uint32_t)j.has;
      h2.len = j.has ? j.saved->len : 0;
      mtport_buf *w = &sp->preps.w;
      int rc = mtport_buf_append(w, (const char *)&h2, sizeof h2);
      if (rc == MTPORT_OK && j.has)
        rc = mtport_buf_append(w, j.saved->data ? j.saved->data : "", h2.len);
      if (rc == MTPORT_OK && w->len >= S_SPOOL_CHUNK)
        rc = S_spool_flush(&sp->preps);
      if (rc != MTPORT_OK) { /* those posts are prepared later instead */
        sp->preps_ok = 0;
        S_spool_close(&sp->preps);
      }
    }
    S_job_dispose(&j, pl->exp);
    pthread_mutex_lock(&pl->mu);
  }
  pthread_mutex_unlock(&pl->mu);
}

/* Reads every input, handing each post to prepass(), copying it to the
 * spool and, with @pl, queueing it for early preparation when a worker
 * has room. */
static int S_first_pass(mtport_ctx *ctx, void *state, mtport_reader *first,
                        const char *const *inputs, size_t n, S_spools *sp,
                        S_pool *pl) {
  int rc = MTPORT_OK;
  uint64_t seq = 0;
  for (size_t i = 0; i < n && rc == MTPORT_OK; i++) {
    mtport_reader *r = NULL;
    if (i == 0 && first)
      r = first;
    else if ((rc = S_open_reader(ctx, &r, i)) != MTPORT_OK)
      break;
    ctx->input_name = inputs[i];
    const mtport_post *p;
    int k = 0;
    while (rc == MTPORT_OK && (k = mtport_reader_next(r, &p)) == 1) {
      if (S_cancelled(ctx)) {
        rc = MTPORT_ECANCELED;
        break;
      }
      /* the asset layer needs a first pass even when the exporter has
       * none */
      if (ctx->exp->prepass)
        rc = ctx->exp->prepass(ctx, state, p);
      if (rc == MTPORT_OK)
        rc = mtport__assets_site(ctx, mtport_reader_site(r));
      if (rc == MTPORT_OK)
        rc = mtport__assets_collect(ctx, p, seq);
      if (rc != MTPORT_OK)
        break;
      if (sp->posts_ok) {
        int e = S_spool_post(sp, r, i, S_origin(ctx, inputs[i], p), p);
        if (e == MTPORT_EIO)
          rc = S_posts_lost(ctx, sp, errno, inputs, n);
        else
          rc = e;
      }
      if (pl && sp->preps_ok) {
        S_early_collect(pl, sp, 0);
        pthread_mutex_lock(&pl->mu);
        int room = S_room(pl);
        pthread_mutex_unlock(&pl->mu);
        mtport_post *own = room ? mtport_reader__take(r) : NULL;
        if (own) {
          S_job j;
          memset(&j, 0, sizeof j);
          j.post = own;
          j.bytes = S_post_bytes(own);
          j.seq = seq;
          j.mode = S_EARLY;
          j.state = S_QUEUED;
          S_push(pl, &j);
        }
      }
      seq++;
    }
    if (k < 0 && rc == MTPORT_OK)
      rc = k;
    if (r != first)
      mtport_reader_free(r);
  }
  if (pl)
    S_early_collect(pl, sp, 1);
  return rc;
}

/* ---- the entry pass ------------------------------------------------------ */

/* Where the entry pass takes its posts: an input's reader, or the spools. */
typedef struct S_source {
  mtport_reader *r;
  S_spools *sp;
  const void *state; /* the exporter's, for load() */
  mtport_buf pbuf;   /* the bytes to load */
  const char *const *inputs;
  size_t n_inputs;
  mtport_buf rec; /* a spooled post's bytes */
  S_prec next;    /* the next record of early preparations, */
  int has_next;   /* when there is one */
  uint64_t seq;   /* the number of the next post */
} S_source;

/* The next post into @j, which it owns then: 1; 0 at the end; or a
 * negative code. */
static int S_source_next(mtport_ctx *ctx, S_source *src, S_job *j) {
  memset(j, 0, sizeof *j);
  if (src->r) {
    const mtport_post *p;
    int k = mtport_reader_next(src->r, &p);
    if (k != 1)
      return k;
    if (!(j->post = mtport_reader__take(src->r)))
      return MTPORT_ENOMEM;
    j->done = mtport_reader__consumed(src->r, &j->total);
    j->input = ctx->input_name;
    j->seq = ctx->next_seq++;
    j->diags = ctx->held;
    memset(&ctx->held, 0, sizeof ctx->held);
    return 1;
  }
  S_spools *sp = src->sp;
  S_rec h;
  int rc = S_spool_read(&sp->posts, &h, sizeof h);
  if (rc == 1)
    return 0;
  if (rc == MTPORT_OK &&
      (h.input >= src->n_inputs || h.origin > ctx->n_origins))
    rc = MTPORT_EIO;
  if (rc == MTPORT_OK)
    rc = S_spool_read_buf(&sp->posts, h.len, &src->rec);
  j->input = rc == MTPORT_OK ? src->inputs[h.input] : NULL;
  if (rc == MTPORT_OK) /* diagnostics name the part the post came from */
    rc = mtport__post_load(src->rec.data, src->rec.len,
                           h.origin ? ctx->origins[h.origin - 1] : j->input,
                           &j->post);
  if (rc != MTPORT_OK) {
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "read-failed",
                     "cannot read back the temporary copy of the posts: %s",
                     rc == MTPORT_ENOMEM ? "out of memory"
                                         : "it was changed or cut");
    return rc == MTPORT_ENOMEM ? rc : MTPORT_EIO;
  }
  j->done = h.done;
  j->total = h.total;
  uint64_t seq = src->seq++;
  j->seq = seq;
  if (src->has_next && src->next.seq == seq) {
    /* prepared in the first pass: loaded here, by the thread that frees it
     * after entry() */
    int has = (int)src->next.has;
    rc = S_spool_read_buf(&sp->preps, src->next.len, &src->pbuf);
    if (rc == MTPORT_OK) {
      rc = S_spool_read(&sp->preps, &src->next, sizeof src->next);
      src->has_next = rc == MTPORT_OK;
      rc = rc == 1 ? MTPORT_OK : rc;
    }
    if (rc != MTPORT_OK) {
      mtport__run_diag(
          ctx, MTPORT_SEV_FATAL, "read-failed",
          "cannot read back the temporary copy of the converted texts");
      mtport_post_free(j->post);
      j->post = NULL;
      return rc == MTPORT_ENOMEM ? rc : MTPORT_EIO;
    }
    if (has)
      j->rc =
          ctx->exp->load(src->state, src->pbuf.data, src->pbuf.len, &j->prep);
    j->state = S_DONE;
  }
  return 1;
}

/* Counts what entry() returned and reports progress now and then; returns
 * @p e when it stops the run, else MTPORT_OK. */
static int S_entry_done(mtport_ctx *ctx, const S_job *j, int e) {
  if (e == MTPORT_OK)
    ctx->res->written++;
  else if (e > 0)
    ctx->res->skipped++;
  if (ctx->opts->progress && (ctx->res->read & 63) == 0)
    ctx->opts->progress(ctx->res->read, j->done, j->total,
                        ctx->opts->progress_payload);
  return e < 0 ? e : MTPORT_OK;
}

/* Hands the post of @j to entry(), with what was prepared for it. */
static int S_entry(mtport_ctx *ctx, void *state, S_job *j) {
  mtport__dlist_replay(ctx, &j->diags);
  ctx->res->read++;
  ctx->res->comments += j->post->n_comments;
  if (!j->post->permalink || !*j->post->permalink)
    ctx->res->no_old_url++;
  ctx->input_name = j->input;
  int e = j->rc;
  if (e == MTPORT_OK && ctx->assets_on && !j->rewritten) {
    e = mtport__assets_rewrite(ctx->assets, j->post, j->seq, &j->found);
    j->rewritten = 1;
  }
  /* what the rewrite could not resolve, in input order */
  if (ctx->assets_on)
    mtport_assets_found_report(&j->found, j->post, mtport__run_tap, ctx);
  if (e == MTPORT_OK) {
    ctx->prepared = j->prep;
    e = ctx->exp->entry(ctx, state, j->post);
    ctx->prepared = NULL;
  }
  return S_entry_done(ctx, j, e);
}

/* The entry pass over @src, with prepare() on the pool. */
static int S_entries_pooled(mtport_ctx *ctx, void *state, S_pool *pl,
                            S_source *src) {
  int rc = MTPORT_OK, read_rc = MTPORT_OK, more = 1;
  ctx->capturing = src->r != NULL;
  while (rc == MTPORT_OK) {
    /* fill the window */
    while (more) {
      pthread_mutex_lock(&pl->mu);
      int room = S_room(pl);
      pthread_mutex_unlock(&pl->mu);
      if (!room)
        break;
      S_job j;
      int k = S_source_next(ctx, src, &j);
      if (k != 1) {
        more = 0; /* the posts before a failure are still written */
        if (k < 0)
          read_rc = k;
        break;
      }
      j.bytes = S_post_bytes(j.post);
      S_push(pl, &j); /* queued, or done when loaded */
    }
    if (pl->n == 0)
      break;
    /* the oldest post, prepared here if no worker has it yet */
    pthread_mutex_lock(&pl->mu);
    S_job *h = &pl->ring[pl->head];
    while (h->state != S_DONE) {
      S_job *j = S_take(pl);
      if (j)
        S_run_job(pl, j, 0);
      else
        pthread_cond_wait(&pl->done, &pl->mu);
    }
    S_job job = *h;
    memset(h, 0, sizeof *h);
    pl->head = (pl->head + 1) % S_WINDOW;
    pl->n--;
    pl->bytes -= job.bytes;
    pthread_mutex_unlock(&pl->mu);
    rc = S_cancelled(ctx) ? MTPORT_ECANCELED : S_entry(ctx, state, &job);
    S_discard(pl, job.prep, job.by_worker, job.bytes);
    job.prep = NULL;
    S_job_dispose(&job, ctx->exp);
  }
  S_pool_drain(pl);
  ctx->capturing = 0;
  mtport__dlist_replay(ctx,
                       &ctx->held); /* the end of the input, or its failure */
  return rc != MTPORT_OK ? rc : read_rc;
}

/* The entry pass over @src, all on the calling thread. */
static int S_entries_plain(mtport_ctx *ctx, void *state, S_source *src) {
  for (;;) {
    S_job j;
    if (S_cancelled(ctx))
      return MTPORT_ECANCELED;
    int k = S_source_next(ctx, src, &j);
    if (k != 1)
      return k;
    int rc = S_cancelled(ctx) ? MTPORT_ECANCELED : S_entry(ctx, state, &j);
    S_job_dispose(&j, ctx->exp);
    if (rc != MTPORT_OK)
      return rc;
  }
}

static int S_entries(mtport_ctx *ctx, void *state, S_pool *pl, S_source *src) {
  return pl ? S_entries_pooled(ctx, state, pl, src)
            : S_entries_plain(ctx, state, src);
}

/* The entry pass over every input; @first is the already open first
 * reader. */
static int S_read_pass(mtport_ctx *ctx, void *state, mtport_reader *first,
                       const char *const *inputs, size_t n, S_pool *pl) {
  int rc = MTPORT_OK;
  for (size_t i = 0; i < n && rc == MTPORT_OK; i++) {
    S_source src;
    memset(&src, 0, sizeof src);
    if (i == 0 && first)
      src.r = first;
    else if ((rc = S_open_reader(ctx, &src.r, i)) != MTPORT_OK)
      break;
    rc = S_entries(ctx, state, pl, &src);
    if (src.r != first)
      mtport_reader_free(src.r);
  }
  return rc;
}

/* The entry pass over the first pass's spools. */
static int S_spool_pass(mtport_ctx *ctx, void *state, S_spools *sp,
                        const char *const *inputs, size_t n, S_pool *pl) {
  S_source src;
  memset(&src, 0, sizeof src);
  src.sp = sp;
  src.state = state;
  src.inputs = inputs;
  src.n_inputs = n;
  if (sp->preps_ok) {
    /* without the early preparations every post is prepared now */
    if (S_spool_rewind(&sp->preps) != MTPORT_OK ||
        S_spool_read(&sp->preps, &src.next, sizeof src.next) != MTPORT_OK)
      S_spool_close(&sp->preps);
    else
      src.has_next = 1;
  }
  int rc = S_entries(ctx, state, pl, &src);
  mtport_buf_dispose(&src.rec);
  mtport_buf_dispose(&src.pbuf);
  return rc;
}

int mtport_run(mtport_run_result *out, const char *const *inputs,
               size_t n_inputs, const mtport_exporter *exp,
               const mtport_run_options *opts) {
  mtport_run_result local;
  memset(&local, 0, sizeof local);
  mtport_run_result *res = out ? out : &local;
  memset(res, 0, sizeof *res);
  if (!exp || !opts || n_inputs == 0)
    return MTPORT_EINVALID;
  mtport_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.opts = opts;
  ctx.exp = exp;
  ctx.res = res;
  ctx.cancel = opts->version >= 3 ? opts->cancel : NULL;
  ctx.root_fd = ctx.pdir.fd = -1;
  int rc = MTPORT_OK;
  /* --force must never replace an input by its own conversion */
  struct stat ost;
  if (exp->output == MTPORT_OUTPUT_STREAM && opts->output &&
      strcmp(opts->output, "-") != 0 && stat(opts->output, &ost) == 0) {
    for (size_t i = 0; i < n_inputs && rc == MTPORT_OK; i++) {
      struct stat ist;
      if (stat(inputs[i], &ist) == 0 && ist.st_dev == ost.st_dev &&
          ist.st_ino == ost.st_ino) {
        mtport__run_diag(&ctx, MTPORT_SEV_FATAL, "output-is-input",
                         "'%s' is also an input; refusing to overwrite it",
                         opts->output);
        rc = MTPORT_EEXISTS;
      }
    }
  }
  /* a backup archive input stands for its XML parts */
  if (rc == MTPORT_OK)
    rc = mtport__assets_setup(&ctx, inputs, n_inputs);
  if (rc == MTPORT_OK) {
    inputs = ctx.inputs;
    n_inputs = ctx.n_inputs;
  }
  mtport_reader *first = NULL;
  if (rc == MTPORT_OK)
    rc = S_open_reader(&ctx, &first, 0);
  if (rc == MTPORT_OK)
    rc = mtport__assets_site(&ctx, mtport_reader_site(first));
  if (rc == MTPORT_OK)
    rc = mtport__run_open_output(&ctx);
  void *state = NULL;
  int begun = 0;
  if (rc == MTPORT_OK) {
    rc = exp->begin(&ctx, mtport_reader_site(first), &state);
    begun = rc == MTPORT_OK;
  }
  S_pool pool;
  int pooled =
      rc == MTPORT_OK && exp->version >= 2 && exp->prepare && exp->release;
  if (pooled) {
    unsigned jobs = opts->version >= 2 ? opts->jobs : 0;
    rc = S_pool_start(&pool, exp, state, jobs ? jobs : S_cpus());
    pooled = rc == MTPORT_OK;
    if (pooled && ctx.assets_on)
      pool.assets = ctx.assets;
  }
  S_pool *pl = pooled ? &pool : NULL;
  S_spools sp;
  memset(&sp, 0, sizeof sp);
  S_spool_init(&sp.posts);
  S_spool_init(&sp.preps);
  if (rc == MTPORT_OK && (exp->prepass || ctx.assets_on)) {
    sp.posts.fd = mtport_temp_fd("posts");
    sp.posts_ok = sp.posts.fd >= 0;
    if (!sp.posts_ok)
      rc = S_posts_lost(&ctx, &sp, errno, inputs, n_inputs);
    /* early preparation needs a worker besides this thread, which reads */
    int early = pl && pool.nth > 0 && exp->version >= 3 && exp->save &&
                exp->load && sp.posts_ok && !ctx.assets_on;
    if (early && (sp.preps.fd = mtport_temp_fd("prepared")) >= 0)
      sp.preps_ok = 1;
    if (rc == MTPORT_OK)
      rc = S_first_pass(&ctx, state, first, inputs, n_inputs, &sp,
                        sp.preps_ok ? pl : NULL);
    mtport_reader_free(first);
    first = NULL;
    if (rc == MTPORT_OK && exp->prepass_done)
      rc = exp->prepass_done(&ctx, state);
    if (rc == MTPORT_OK)
      rc = mtport__assets_fetch(&ctx);
    if (rc == MTPORT_OK && sp.posts_ok) {
      int e = S_spool_rewind(&sp.posts);
      if (e == MTPORT_EIO)
        rc = S_posts_lost(&ctx, &sp, errno, inputs, n_inputs);
      else
        rc = e;
    }
    if (rc == MTPORT_OK && sp.posts_ok)
      rc = S_spool_pass(&ctx, state, &sp, inputs, n_inputs, pl);
    else if (rc == MTPORT_OK) {
      ctx.mute_reader = 1;
      rc = S_read_pass(&ctx, state, NULL, inputs, n_inputs, pl);
    }
  } else if (rc == MTPORT_OK)
    rc = S_read_pass(&ctx, state, first, inputs, n_inputs, pl);
  if (pooled)
    S_pool_stop(&pool);
  if (rc == MTPORT_OK)
    rc = mtport__assets_finish(&ctx);
  S_spool_close(&sp.posts);
  S_spool_close(&sp.preps);
  mtport_reader_free(first);
  /* a stop asked for ends the run as failed, whatever it broke on the way
   * (a read cut short) */
  if (S_cancelled(&ctx))
    rc = MTPORT_ECANCELED;
  if (begun) {
    int e = exp->end(&ctx, state, rc);
    if (rc == MTPORT_OK && e != MTPORT_OK)
      rc = e;
  }
  /* a successful run leaves its folder, even with nothing in it */
  if (rc == MTPORT_OK && ctx.dir && ctx.root_fd < 0 &&
      mtport__run_open_root(&ctx) < 0)
    rc = MTPORT_EIO;
  if (rc == MTPORT_OK && S_cancelled(&ctx)) /* asked during end() */
    rc = MTPORT_ECANCELED;
  if (ctx.root_fd >= 0)
    close(ctx.root_fd);
  mtport__subdir_close(&ctx.pdir);
  mtport__assets_free(&ctx);
  for (size_t k = 0; k < ctx.n_origins; k++)
    free(ctx.origins[k]);
  free(ctx.origins);
  int c = mtport__run_close_sides(&ctx, rc == MTPORT_OK);
  if (rc == MTPORT_OK)
    rc = c;
  c = mtport__run_close_output(&ctx, rc == MTPORT_OK);
  if (rc == MTPORT_OK)
    rc = c;
  return rc;
}

/* Diagnostics on stderr: GCC-style lines or JSON Lines. */
#include "cli.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* The terminal's line is shared by the run's thread (diagnostics, the
 * entries' progress) and the downloader's (its bar): one lock keeps each
 * line whole and progress_shown consistent. */
static pthread_mutex_t S_term = PTHREAD_MUTEX_INITIALIZER;

void cli_term_lock(void) { pthread_mutex_lock(&S_term); }
void cli_term_unlock(void) { pthread_mutex_unlock(&S_term); }

static void S_clear(cli_report *rep) {
  if (rep->progress_shown) {
    fputs("\r\033[K", stderr);
    rep->progress_shown = 0;
  }
}

void cli_progress_clear(cli_report *rep) {
  cli_term_lock();
  S_clear(rep);
  cli_term_unlock();
}

void cli_diag_sink(const mtport_diag *d, void *payload) {
  cli_report *rep = payload;
  if (d->severity <= MTPORT_SEV_FATAL)
    rep->counts[d->severity]++;
  if (d->severity == MTPORT_SEV_FATAL || d->severity == MTPORT_SEV_ERROR) {
    /* remember why the run failed, for the exit code */
    if (strcmp(d->code, "output-exists") == 0 ||
        strcmp(d->code, "write-failed") == 0 ||
        strcmp(d->code, "unsafe-path") == 0 ||
        strcmp(d->code, "output-is-input") == 0)
      rep->output_failed = 1;
    else if (strcmp(d->code, "no-output") == 0 ||
             strcmp(d->code, "bad-option") == 0)
      rep->usage_failed = 1;
  }
  if (rep->quiet && d->severity < MTPORT_SEV_ERROR)
    return;
  mtport_buf b = MTPORT_BUF_INIT;
  if ((rep->json ? mtport_diag_format_json(d, &b)
                 : mtport_diag_format(d, &b)) == MTPORT_OK) {
    cli_term_lock();
    S_clear(rep);
    fputs(b.data, stderr);
    fputc('\n', stderr);
    cli_term_unlock();
  }
  mtport_buf_dispose(&b);
}

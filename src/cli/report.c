/* Diagnostics on stderr: GCC-style lines or JSON Lines. */
#include "cli.h"
#include <stdio.h>
#include <string.h>

void cli_progress_clear(cli_report *rep) {
  if (rep->progress_shown) {
    fputs("\r\033[K", stderr);
    rep->progress_shown = 0;
  }
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
  cli_progress_clear(rep);
  mtport_buf b = MTPORT_BUF_INIT;
  if ((rep->json ? mtport_diag_format_json(d, &b)
                 : mtport_diag_format(d, &b)) == MTPORT_OK) {
    fputs(b.data, stderr);
    fputc('\n', stderr);
  }
  mtport_buf_dispose(&b);
}

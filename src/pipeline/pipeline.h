/* What src/pipeline/ offers: nothing the other folders call. The pipeline
 * is reached through the public run.h (mtport_run) and exporter.h (the
 * services a run gives its exporter); it calls the readers
 * (readers/readers.h), the converter's set-up (html2md/html2md.h) and the
 * core. The spool form of a post (postspool.h) is private to the folder
 * and to its unit tests. */
#ifndef MTPORT_PIPELINE_H
#define MTPORT_PIPELINE_H

#include "mtport/run.h"

#endif

/**
 * @file mtport.h
 * Umbrella header for libmtport: move a Movable Type blog to Hugo, Jekyll,
 * WordPress (WXR) or JSON Feed. See common.h for the ownership rules.
 */
#ifndef MTPORT_MTPORT_H
#define MTPORT_MTPORT_H

#include "assets.h"
#include "common.h"
#include "convert.h"
#include "diag.h"
#include "exporter.h"
#include "model.h"
#include "mtport/version.h"
#include "reader.h"
#include "run.h"
#include "util.h"

#endif

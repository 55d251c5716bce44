/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PQS_TYPE_APPLICATION (pqs_application_get_type ())
G_DECLARE_FINAL_TYPE (PqsApplication, pqs_application, PQS, APPLICATION, AdwApplication)

PqsApplication *pqs_application_new (void);

G_END_DECLS

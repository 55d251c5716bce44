/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-auth.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_AVATAR_MAX_SIZE (1024 * 1024)

/* The editable profile of an account. NULL fields are left as they are by
 * pqs_user_directory_update(); rank may be "" to clear it. */
typedef struct
{
  const char *username;
  const char *email;
  const char *full_name;
  const char *rank;
} PqsUserFields;

#define PQS_TYPE_USER_DIRECTORY (pqs_user_directory_get_type ())
G_DECLARE_FINAL_TYPE (PqsUserDirectory, pqs_user_directory, PQS, USER_DIRECTORY, GObject)

PqsUserDirectory *pqs_user_directory_new        (PqsStore             *store);
PqsStore         *pqs_user_directory_get_store  (PqsUserDirectory     *self);

gboolean  pqs_user_directory_needs_first_admin  (PqsUserDirectory     *self,
                                                 gboolean             *out_needed,
                                                 GError              **error);
PqsUser  *pqs_user_directory_create_first_admin (PqsUserDirectory     *self,
                                                 const PqsUserFields  *fields,
                                                 const char           *password,
                                                 GError              **error);

PqsUser  *pqs_user_directory_lookup             (PqsUserDirectory     *self,
                                                 gint64                id,
                                                 GError              **error);
PqsUser  *pqs_user_directory_lookup_by_username (PqsUserDirectory     *self,
                                                 const char           *username,
                                                 GError              **error);

PqsUser  *pqs_user_directory_create             (PqsUserDirectory     *self,
                                                 PqsUser              *actor,
                                                 const PqsUserFields  *fields,
                                                 PqsRole               role,
                                                 const char           *password,
                                                 GError              **error);
gboolean  pqs_user_directory_update             (PqsUserDirectory     *self,
                                                 PqsUser              *actor,
                                                 gint64                id,
                                                 const PqsUserFields  *fields,
                                                 GError              **error);
gboolean  pqs_user_directory_set_role           (PqsUserDirectory     *self,
                                                 PqsUser              *actor,
                                                 gint64                id,
                                                 PqsRole               role,
                                                 GError              **error);
gboolean  pqs_user_directory_set_active         (PqsUserDirectory     *self,
                                                 PqsUser              *actor,
                                                 gint64                id,
                                                 gboolean              active,
                                                 GError              **error);
gboolean  pqs_user_directory_reset_password     (PqsUserDirectory     *self,
                                                 PqsUser              *actor,
                                                 gint64                id,
                                                 const char           *password,
                                                 gboolean              require_change,
                                                 GError              **error);
gboolean  pqs_user_directory_unlock             (PqsUserDirectory     *self,
                                                 PqsUser              *actor,
                                                 gint64                id,
                                                 GError              **error);
gboolean  pqs_user_directory_set_avatar         (PqsUserDirectory     *self,
                                                 PqsUser              *actor,
                                                 gint64                id,
                                                 GBytes               *image,
                                                 GError              **error);
GBytes   *pqs_user_directory_get_avatar         (PqsUserDirectory     *self,
                                                 gint64                id,
                                                 char                **out_mime,
                                                 GError              **error);
gboolean  pqs_user_directory_delete             (PqsUserDirectory     *self,
                                                 PqsUser              *actor,
                                                 gint64                id,
                                                 GError              **error);

gboolean  pqs_user_validate_username            (const char           *username,
                                                 GError              **error);
gboolean  pqs_user_validate_email               (const char           *email,
                                                 GError              **error);
const char *pqs_avatar_sniff_mime               (GBytes               *image);

G_END_DECLS

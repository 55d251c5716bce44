/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fuzz-util.h"
#include "pqs-outline.h"

/* A section document's outline in its JSON form (templates.outline, the
 * outline of every document in a document file or a package), as
 * pqs_outline_from_json_string() reads it. Input: the JSON text.
 *
 * Besides not crashing: a refusal is a PQS_OUTLINE_ERROR_INVALID sentence
 * (pqs_fuzz_check_message()); an accepted outline passes pqs_outline_validate() and comes
 * back equal from its own JSON and from a copy. */

static void
check_round_trip (GPtrArray *outline)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) copy = NULL;
  g_autofree char *json = NULL;

  pqs_outline_validate (outline, &error);
  g_assert_no_error (error);

  json = pqs_outline_to_json_string (outline);
  again = pqs_outline_from_json_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_outline_equal (outline, again));

  copy = pqs_outline_copy (outline);
  g_assert_true (pqs_outline_equal (outline, copy));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pqs_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outline = NULL;

  pqs_fuzz_init ();

  outline = pqs_outline_from_json_string (text, &error);
  if (outline == NULL)
    {
      pqs_fuzz_say ("refused: %s", error->message);
      g_assert_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID);
      pqs_fuzz_check_message (error);
    }
  else
    {
      pqs_fuzz_say ("%u items", outline->len);
      g_assert_no_error (error);
      check_round_trip (outline);
    }

  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"

/* main() for a fuzz target built without libFuzzer (gcc, the normal build):
 * feeds it every file named on the command line and every file in every
 * folder named there (the seed corpus and the regression inputs), in name
 * order, so that each test run replays them all. A crash or a failed
 * assertion fails the test; the input being replayed is printed first. */

/* The targets that need no setup do not define it. */
int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      /* README files and the like explain a folder; they are not inputs. */
      if (g_str_has_suffix (name, ".md"))
        continue;
      g_ptr_array_add (files, g_build_filename (path, name, NULL));
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint64 total = 0;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s FILE-OR-FOLDER…\n", argv[0]);
      return 2;
    }

  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

      if (!g_file_test (argv[i], G_FILE_TEST_EXISTS))
        {
          fprintf (stderr, "%s: no such file or folder\n", argv[i]);
          return 2;
        }
      collect (argv[i], found);
      g_ptr_array_sort (found, compare_names);
      g_ptr_array_extend_and_steal (files, g_steal_pointer (&found));
    }

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;
      g_autofree uint8_t *input = NULL;
      gsize size = 0;

      printf ("replay %s\n", path);
      fflush (stdout);
      if (!g_file_get_contents (path, &data, &size, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      /* An exact copy, as libFuzzer hands it: no NUL after the last byte, so
       * that a sanitizer build sees a read past the end. */
      input = g_malloc (MAX (size, 1));
      memcpy (input, data, size);
      LLVMFuzzerTestOneInput (input, size);
      total += size;
    }

  printf ("%u inputs (%" G_GUINT64_FORMAT " bytes) replayed without a crash\n",
          files->len, total);
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

int pqs_admin_main (int argc, char **argv);

int
main (int    argc,
      char **argv)
{
  return pqs_admin_main (argc, argv);
}

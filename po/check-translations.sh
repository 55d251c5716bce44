#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks that every language in po/LINGUAS translates every message of the
# sources: regenerates the template from po/POTFILES.in (as meson's
# pqs-desk-pot target does, with the 'glib' gettext preset) into the BUILD
# folder, then fails when a .po file lacks one of its messages, leaves one
# untranslated or fuzzy, or has a format error, and says which.
# It writes only under BUILDDIR; the source tree is left as it is.
#
# Usage: check-translations.sh SOURCE_ROOT BUILDDIR
set -u

srcroot=${1:?usage: check-translations.sh SOURCE_ROOT BUILDDIR}
builddir=${2:?usage: check-translations.sh SOURCE_ROOT BUILDDIR}
package=pqs-desk
podir=$srcroot/po

for tool in xgettext msgcmp msgfmt msgattrib; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (package gettext)"
    exit 77
  fi
done

workdir=$builddir/check-translations
mkdir -p "$workdir" || exit 1
pot=$workdir/$package.pot

# The keywords and flags of meson's i18n.gettext(preset: 'glib') (plus -k_,
# which meson's own pot step adds); xgettext's default C keywords
# (gettext, ngettext, …) stay on.
if ! xgettext --package-name="$package" -D "$srcroot" -f "$podir/POTFILES.in" \
     -k_ -o "$pot" --no-wrap \
     --from-code=UTF-8 --add-comments \
     --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
     --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
     --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
     --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
     --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
     --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
     --flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format \
     --flag=g_log:3:c-format --flag=g_print:1:c-format \
     --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
     --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format \
     --flag=g_snprintf:3:c-format \
     2>"$workdir/xgettext.log"; then
  cat "$workdir/xgettext.log" >&2
  echo "FAIL: xgettext could not extract the messages of po/POTFILES.in" >&2
  exit 1
fi

total=$(msgattrib --no-obsolete "$pot" 2>/dev/null | grep -c '^msgid ')
total=$((total - 1))   # the header
echo "Template: $total messages from po/POTFILES.in ($pot)"

# Sources that mark strings for translation but are not in POTFILES.in:
# their messages are not in the template, so nothing here checks them.
listed=$workdir/potfiles.listed
grep -v '^[[:space:]]*#' "$podir/POTFILES.in" | sed '/^[[:space:]]*$/d' | sort -u >"$listed"
(
  cd "$srcroot" &&
  grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)[[:space:]]*\(|translatable="yes"' \
    --include='*.c' --include='*.ui' --include='*.in' --include='*.xml' src ui data 2>/dev/null
) | sort -u >"$workdir/potfiles.marked"
unlisted=$(comm -23 "$workdir/potfiles.marked" "$listed")
if [ -n "$unlisted" ]; then
  echo "WARNING: these files mark strings for translation but are not in po/POTFILES.in:"
  echo "$unlisted" | sed 's/^/  /'
fi

languages=$(sed 's/#.*//' "$podir/LINGUAS")
if [ -z "$(echo $languages)" ]; then
  echo "FAIL: po/LINGUAS names no language" >&2
  exit 1
fi

status=0
for lang in $languages; do
  po=$podir/$lang.po
  if [ ! -f "$po" ]; then
    echo "FAIL: po/LINGUAS names $lang but po/$lang.po does not exist"
    status=1
    continue
  fi

  # Errors in the file itself, format strings included.
  if ! msgfmt --check -o /dev/null "$po" 2>"$workdir/$lang.msgfmt.log"; then
    echo "FAIL: po/$lang.po has errors:"
    sed 's/^/  /' "$workdir/$lang.msgfmt.log"
    status=1
  fi

  # Messages of the template that the .po file does not have at all
  # (it was not merged since they were added).
  if ! msgcmp --use-fuzzy --use-untranslated "$po" "$pot" \
       >"$workdir/$lang.msgcmp.log" 2>&1; then
    # msgcmp names the template's line of each missing message.
    lines=$(sed -n 's/^.*\.pot:\([0-9][0-9]*\): this message is used but not defined.*$/\1/p' \
              "$workdir/$lang.msgcmp.log")
    if [ -n "$lines" ]; then
      echo "FAIL: po/$lang.po lacks $(echo "$lines" | wc -l) message(s) of the template" \
           "(run the pqs-desk-update-po target, then translate them):"
      for n in $lines; do
        # The line is the msgstr's: print the msgctxt/msgid/msgid_plural above it.
        awk -v n="$n" 'NR < n { keep = ($0 ~ /^msg(ctxt|id|id_plural) /) ? keep "  " $0 "\n" : "" }
                       NR == n { printf "%s", keep; exit }' "$pot"
      done
    else
      echo "FAIL: msgcmp could not compare po/$lang.po with the template:"
      grep -v 'warning: this message is not used' "$workdir/$lang.msgcmp.log" | sed 's/^/  /'
    fi
    status=1
  fi

  # Untranslated and fuzzy messages, among those the template uses.
  msgattrib --no-obsolete --untranslated --no-wrap "$po" 2>/dev/null \
    | msgattrib --no-wrap --no-location >"$workdir/$lang.untranslated.po" 2>/dev/null
  msgattrib --no-obsolete --only-fuzzy --no-wrap "$po" 2>/dev/null \
    | msgattrib --no-wrap --no-location >"$workdir/$lang.fuzzy.po" 2>/dev/null
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$po" 2>&1)
  echo "po/$lang.po: $stats"
  for kind in untranslated fuzzy; do
    list=$(grep -E '^msg(ctxt|id) ' "$workdir/$lang.$kind.po" | grep -v '^msgid ""$')
    if [ -n "$list" ]; then
      echo "FAIL: po/$lang.po has $kind messages:"
      echo "$list" | sed 's/^/  /'
      status=1
    fi
  done
done

if [ $status -eq 0 ]; then
  echo "OK: every language translates all $total messages"
fi
exit $status

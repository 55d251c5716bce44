#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fuzzes the parsers of hostile input with libFuzzer (README.md).
#
#   tests/fuzz/run-fuzz.sh [--build-dir DIR] [SECONDS] [TARGET…]
#
# Builds the fuzz targets with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in DIR (default: build-libfuzzer beside the
# sources; the first build takes a few minutes), then runs each TARGET
# (default: all) for SECONDS (default: 10). New inputs that reach new code
# are kept in DIR/fuzz-corpus/TARGET for the next run; the seed corpus and
# the regression inputs in tests/fuzz are read, never written. A crash, a
# leak, a timeout (-timeout) or too much memory (-rss_limit_mb) fails the
# run; its reproducer is kept in DIR/fuzz-artifacts. Exit status: 0 no
# finding, 1 a finding, 77 clang or its libFuzzer missing (a skipped test).
# FUZZ_ARGS adds libFuzzer options (e.g. FUZZ_ARGS=-jobs=4).
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build="$src/build-libfuzzer"
seconds=10

if [ "${1:-}" = "--build-dir" ]; then
  build=$2
  shift 2
fi
if [ $# -gt 0 ]; then
  seconds=$1
  shift
fi
case $seconds in
  ''|*[!0-9]*)
    echo "run-fuzz.sh: SECONDS must be a whole number, not '$seconds'." >&2
    exit 2
    ;;
esac

all="fuzz-migration fuzz-template-fields fuzz-outline fuzz-package fuzz-search"
all="$all fuzz-backup-header fuzz-backup-manifest"
targets=${*:-$all}

if ! command -v clang >/dev/null 2>&1; then
  echo "run-fuzz.sh: clang is not installed (tools/install-deps installs it); nothing fuzzed."
  exit 77
fi

# libFuzzer and the sanitizers' run-time come in libclang-rt-14-dev, which
# clang only recommends: without it every target fails to link.
probe=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput (const char *d, unsigned long n) { return d == 0 && n; }\n' \
  >"$probe/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$probe/probe" "$probe/probe.c" \
     >"$probe/log" 2>&1; then
  sed 's/^/  /' "$probe/log"
  rm -rf "$probe"
  echo "run-fuzz.sh: clang cannot link libFuzzer with the sanitizers (install" \
       "libclang-rt-14-dev); nothing fuzzed."
  exit 77
fi
rm -rf "$probe"

# The outer `meson test` may have set these for gcc builds.
unset MALLOC_CHECK_ MALLOC_PERTURB_ G_SLICE 2>/dev/null || true

if [ ! -f "$build/build.ninja" ]; then
  echo "== Configuring $build (clang, address and undefined sanitizers, libFuzzer)"
  CC=clang meson setup "$build" "$src" \
    -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined \
    -Db_lundef=false \
    -Dwerror=false \
    -Dc_args=-fsanitize=fuzzer-no-link
fi

build=$(cd "$build" && pwd)

ninja_targets=""
for target in $targets; do
  ninja_targets="$ninja_targets tests/fuzz/$target"
done
echo "== Building$ninja_targets"
# shellcheck disable=SC2086
ninja -C "$build" $ninja_targets

mkdir -p "$build/fuzz-artifacts"
# With FUZZ_ARGS=-jobs=N, libFuzzer writes its workers' logs here.
cd "$build/fuzz-artifacts"
# Fast unwinding on malloc (the default): the slow one makes fuzzing ten times
# slower. For the full stack of a leak, replay its input with
# ASAN_OPTIONS=fast_unwind_on_malloc=0.
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:handle_abort=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0"
export G_DEBUG="fatal-warnings"
export GSETTINGS_BACKEND="memory"

found=""
for target in $targets; do
  corpus="$build/fuzz-corpus/$target"
  seeds="$src/tests/fuzz/corpus/$target"
  regressions="$src/tests/fuzz/regressions/$target"
  dict="$src/tests/fuzz/dict/$target.dict"
  mkdir -p "$corpus"

  set -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
         -artifact_prefix="$build/fuzz-artifacts/$target-"
  [ -f "$dict" ] && set -- "$@" -dict="$dict"
  # shellcheck disable=SC2086
  set -- "$@" ${FUZZ_ARGS:-}
  # The first folder receives new inputs; the others are only read.
  set -- "$@" "$corpus" "$seeds"
  [ -d "$regressions" ] && set -- "$@" "$regressions"

  echo "== $target for ${seconds}s"
  if ! "$build/tests/fuzz/$target" "$@" >"$build/fuzz-artifacts/$target.log" 2>&1; then
    tail -n 60 "$build/fuzz-artifacts/$target.log"
    found="$found $target"
    echo "== $target: FINDING. Its reproducer is in $build/fuzz-artifacts/ (full log:" \
         "$build/fuzz-artifacts/$target.log)."
    echo "   Replay it: $build/tests/fuzz/$target FILE; once fixed, copy it to" \
         "tests/fuzz/regressions/$target/."
  else
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+[[:space:]]+DONE)' \
      "$build/fuzz-artifacts/$target.log" | tr '\n' ' ' || true
    echo
    echo "== $target: no finding ($(find "$corpus" -type f | wc -l) inputs in $corpus)"
  fi
done

if [ -n "$found" ]; then
  echo "== Findings in:$found"
  exit 1
fi
echo "== No finding in ${seconds}s per target."

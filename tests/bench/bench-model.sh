#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench-model.sh — the list models, search and saving on a large database
#
# Usage:
#   tests/bench/bench-model.sh [BUILD_DIR]
#
#   BUILD_DIR     the meson build folder (default: build, beside this repository's
#                 meson.build); it holds src/cli/pqs-admin and tests/bench/bench-model
#
# Environment:
#   DOCUMENTS=N   documents in the demo database (default 100000)
#   REPS=N        repetitions of each query (default 200; at least 5)
#   SAVE_REPS=N   repetitions of each save (default 50; at least 5)
#   MERGE_FTS=0   do not merge the search indexes after seeding (see below)
#   BENCH_DB=F    measure a copy of this database instead of seeding a new one
#   KEEP=1        keep the temporary folder and print its path
#
# What it does, in a fresh temporary folder:
#   1. `pqs-admin seed-demo --documents N` (timed);
#   2. merges each FTS5 index into one segment ('optimize', as `pqs-admin
#      optimize` does): a bulk load leaves many small segments that a
#      workstation's routine maintenance merges, and search times depend on
#      it — MERGE_FTS=0 measures the index as seeding left it;
#   3. runs bench-model, which times each operation through the model and
#      replays the very same SQL in the sqlite3 shell (see bench-model.c), and
#      prints a table; the JSON goes to BUILD_DIR/bench-model.json.
# Exit status: 0 when everything ran, 1 when a step failed, 2 on bad usage or
# a missing tool.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
admin=$build/src/cli/pqs-admin
bench=$build/tests/bench/bench-model
documents=${DOCUMENTS:-100000}
reps=${REPS:-200}
save_reps=${SAVE_REPS:-50}
merge=${MERGE_FTS:-1}
json_out=$build/bench-model.json

die () { echo "bench-model: $*" >&2; exit 2; }

[[ $# -le 1 ]] || die "usage: $0 [BUILD_DIR]"
[[ -x $admin ]] || die "$admin is missing; build first (ninja -C $build)"
[[ -x $bench ]] || die "$bench is missing; build first (ninja -C $build)"
sqlite3=$(command -v sqlite3) || die "sqlite3 (the command line shell) is needed"
[[ $documents =~ ^[0-9]+$ ]] || die "DOCUMENTS must be a number"
[[ $reps =~ ^[0-9]+$ && $reps -ge 5 ]] || die "REPS must be a number of at least 5"
[[ $save_reps =~ ^[0-9]+$ && $save_reps -ge 5 ]] || die "SAVE_REPS must be a number of at least 5"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pqs-bench-model-XXXXXX") || die "cannot make a temporary folder"
cleanup () { if [[ ${KEEP:-0} == 1 ]]; then echo "Kept $tmp" >&2; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

export XDG_DATA_HOME=$tmp/xdg
unset PQS_DB
mkdir -p "$XDG_DATA_HOME"
db=$tmp/bench.db
seed_seconds=0

# 1. The demo database ------------------------------------------------------
if [[ -n ${BENCH_DB:-} ]]; then
  [[ -f $BENCH_DB ]] || die "BENCH_DB=$BENCH_DB does not exist"
  echo "· copying $BENCH_DB" >&2
  sqlite3 "$BENCH_DB" ".backup $(printf '%q' "$db")" || die "cannot copy $BENCH_DB"
else
  echo "· seed-demo: $documents documents" >&2
  start=$(date +%s%N)
  if ! "$admin" --db "$db" seed-demo --documents "$documents" >"$tmp/seed.out" 2>&1; then
    cat "$tmp/seed.out" >&2
    echo "bench-model: seed-demo failed; nothing to measure" >&2
    exit 1
  fi
  end=$(date +%s%N)
  seed_seconds=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')
  echo "  $seed_seconds s" >&2
fi

# 2. The search indexes, merged ------------------------------------------------
merge_flag=()
if [[ $merge == 1 ]]; then
  echo "· merging the search indexes" >&2
  tables=$(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' AND lower(sql) LIKE '%using fts5%'")
  for table in $tables; do
    sqlite3 "$db" "INSERT INTO \"$table\" (\"$table\") VALUES ('optimize');" || die "cannot merge $table"
  done
  merge_flag=(--fts-merged)
fi
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null || die "checkpoint failed"

# 3. The measurements ------------------------------------------------------------
"$bench" --db "$db" --output "$json_out" --sqlite3 "$sqlite3" \
         --repetitions "$reps" --save-repetitions "$save_reps" \
         --seed-seconds "$seed_seconds" "${merge_flag[@]}"

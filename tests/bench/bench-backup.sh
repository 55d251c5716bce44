#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench-backup.sh — backup, verify, restore and check times on a demo database
#
# Usage:
#   tests/bench/bench-backup.sh [BUILD_DIR]
#
#   BUILD_DIR     the meson build folder (default: build, beside this repository's
#                 meson.build); pqs-admin is BUILD_DIR/src/cli/pqs-admin
#
# Environment:
#   DOCUMENTS=N   documents in the demo database (default 100000)
#   RUNS=N        timed runs of each command, at least 5 (default 5)
#   SEED_RUNS=N   timed runs of seed-demo itself (default 1: each takes ~20 s)
#   KEEP=1        keep the temporary folder and print its path
#
# What it does, in a fresh temporary folder (XDG_DATA_HOME points into it, so
# default backup folders and restore points stay there too):
#   1. `pqs-admin seed-demo --documents N` (timed), then a WAL checkpoint;
#   2. times, RUNS times each, the median reported:
#        pqs-admin backup create --output X     (issue 3's online backup)
#        sqlite3 DB ".backup X"                 (the reference)
#        cp DB X                                (the floor: a plain file copy)
#        pqs-admin backup verify X
#        pqs-admin backup restore X             (on a fresh copy of DB each run)
#        pqs-admin check
#   3. prints medians and the ratios against `.backup` and cp, with the machine
#      (uname -m, CPU model, nproc) and the date, and writes everything as JSON
#      to BUILD_DIR/bench-backup.json.
#
# Uses hyperfine when it is installed (with --prepare removing the previous
# output), else a bash loop timed with `date +%s%N`. A pqs-admin command that
# does not exist yet (`pqs-admin backup --help` or `check --help` fails) or that
# fails while timed is reported as "skipped" or "failed", and the script goes
# on with the others. Exit status: 0 when everything ran, 1 when something was
# skipped or failed, 2 on bad usage or a missing tool.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
admin=$build/src/cli/pqs-admin
documents=${DOCUMENTS:-100000}
runs=${RUNS:-5}
seed_runs=${SEED_RUNS:-1}
json_out=$build/bench-backup.json

die () { echo "bench-backup: $*" >&2; exit 2; }

[[ $# -le 1 ]] || die "usage: $0 [BUILD_DIR]"
[[ -x $admin ]] || die "$admin is missing; build first (ninja -C $build)"
command -v sqlite3 >/dev/null || die "sqlite3 (the command line shell) is needed"
[[ $documents =~ ^[0-9]+$ ]] || die "DOCUMENTS must be a number"
[[ $runs =~ ^[0-9]+$ && $runs -ge 5 ]] || die "RUNS must be a number of at least 5"
[[ $seed_runs =~ ^[0-9]+$ && $seed_runs -ge 1 ]] || die "SEED_RUNS must be at least 1"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pqs-bench-backup-XXXXXX") || die "cannot make a temporary folder"
cleanup () { if [[ ${KEEP:-0} == 1 ]]; then echo "Kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

export XDG_DATA_HOME=$tmp/xdg
unset PQS_DB
mkdir -p "$XDG_DATA_HOME" "$tmp/out"
db=$tmp/bench.db

use_hyperfine=0
if command -v hyperfine >/dev/null; then use_hyperfine=1; fi

declare -A median status note
order=()
problems=0

# median_of "1.2 0.9 1.1" → the middle value (mean of the two middle ones when even)
median_of () {
  printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "null"; exit }
    if (NR % 2) printf "%.6f\n", v[(NR + 1) / 2]
    else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# timed NAME N PREPARE COMMAND — runs COMMAND N times (PREPARE before each,
# untimed) and records the median wall time in seconds.
timed () {
  local name=$1 n=$2 prepare=$3 command=$4 times="" start end i
  order+=("$name")
  echo "· $name ($n runs): $command" >&2

  # One untimed run first: it fails fast, and warms the page cache as the
  # other runs find it.
  if ! bash -c "$prepare" >/dev/null 2>&1 || ! bash -c "$command" >"$tmp/last.out" 2>&1; then
    status[$name]=failed
    note[$name]=$(tail -n 1 "$tmp/last.out" 2>/dev/null)
    median[$name]=null
    problems=1
    echo "  failed: ${note[$name]}" >&2
    return
  fi

  if (( use_hyperfine )); then
    if hyperfine --style none --runs "$n" --prepare "$prepare" \
         --export-csv "$tmp/hf.csv" "$command" >"$tmp/hf.out" 2>&1; then
      # Columns: command,mean,stddev,median,user,system,min,max
      median[$name]=$(awk -F, 'NR == 2 { printf "%.6f\n", $4 }' "$tmp/hf.csv")
      status[$name]=ok
    else
      status[$name]=failed
      note[$name]=$(tail -n 1 "$tmp/hf.out")
      median[$name]=null
      problems=1
    fi
  else
    for ((i = 0; i < n; i++)); do
      bash -c "$prepare" >/dev/null 2>&1
      start=$(date +%s%N)
      if ! bash -c "$command" >"$tmp/last.out" 2>&1; then
        status[$name]=failed
        note[$name]=$(tail -n 1 "$tmp/last.out")
        median[$name]=null
        problems=1
        return
      fi
      end=$(date +%s%N)
      times+=" $(awk -v ns=$((end - start)) 'BEGIN { printf "%.6f", ns / 1e9 }')"
    done
    median[$name]=$(median_of "$times")
    status[$name]=ok
  fi
  echo "  median ${median[$name]} s" >&2
}

skip () {
  order+=("$1")
  status[$1]=skipped
  note[$1]=$2
  median[$1]=null
  problems=1
  echo "· $1: skipped ($2)" >&2
}

q () { printf '%q' "$1"; }

# 1. The demo database ------------------------------------------------------
seed_cmd="rm -f $(q "$db") $(q "$db")-wal $(q "$db")-shm && $(q "$admin") --db $(q "$db") seed-demo --documents $documents"
order+=(seed_demo)
seed_times=""
for ((i = 0; i < seed_runs; i++)); do
  echo "· seed_demo: $documents documents (run $((i + 1)) of $seed_runs)" >&2
  start=$(date +%s%N)
  if ! bash -c "$seed_cmd" >"$tmp/seed.out" 2>&1; then
    cat "$tmp/seed.out" >&2
    die "seed-demo failed; nothing to measure"
  fi
  end=$(date +%s%N)
  seed_times+=" $(awk -v ns=$((end - start)) 'BEGIN { printf "%.6f", ns / 1e9 }')"
done
median[seed_demo]=$(median_of "$seed_times")
status[seed_demo]=ok
echo "  median ${median[seed_demo]} s" >&2

sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null || die "checkpoint failed"
db_size=$(stat -c %s "$db")
rows=$(sqlite3 "$db" "SELECT count(*) FROM documents")

# 2. The timings ------------------------------------------------------------
backup_out=$tmp/out/pqs-admin.backup
sqlite_out=$tmp/out/sqlite3.backup
cp_out=$tmp/out/cp.copy
restore_db=$tmp/restore.db

have_backup=0
if "$admin" backup --help >/dev/null 2>&1; then have_backup=1; fi

if (( have_backup )); then
  timed backup_create "$runs" "rm -f $(q "$backup_out")*" \
        "$(q "$admin") --db $(q "$db") backup create --output $(q "$backup_out")"
  # The other timings go on even if it failed; make sure a file exists for verify.
else
  skip backup_create "pqs-admin backup is not implemented yet"
fi

timed sqlite3_backup "$runs" "rm -f $(q "$sqlite_out")" \
      "sqlite3 $(q "$db") $(q ".backup $sqlite_out")"
timed cp "$runs" "rm -f $(q "$cp_out")" "cp $(q "$db") $(q "$cp_out")"

if (( have_backup )) && [[ ${status[backup_create]} == ok ]]; then
  [[ -e $backup_out ]] || "$admin" --db "$db" backup create --output "$backup_out" >/dev/null 2>&1
  timed backup_verify "$runs" "true" \
        "$(q "$admin") --db $(q "$db") backup verify $(q "$backup_out")"
  restore_help=$("$admin" backup restore --help 2>/dev/null)
  restore_flags=""
  if grep -q -- '--yes' <<<"$restore_help"; then restore_flags+=" --yes"; fi
  if grep -q -- '--backup-dir' <<<"$restore_help"; then
    restore_flags+=" --backup-dir $(q "$tmp/restore-points")"
  fi
  timed backup_restore "$runs" \
        "rm -f $(q "$restore_db")* && cp $(q "$db") $(q "$restore_db") && rm -rf $(q "$tmp/restore-points") && mkdir -p $(q "$tmp/restore-points")" \
        "$(q "$admin") --db $(q "$restore_db") backup restore$restore_flags $(q "$backup_out")"
else
  skip backup_verify "no pqs-admin backup to verify"
  skip backup_restore "no pqs-admin backup to restore"
fi

# check exits 1 when it finds a problem; a demo database must have none.
if "$admin" check --help >/dev/null 2>&1; then
  timed check "$runs" "true" "$(q "$admin") --db $(q "$db") check"
else
  skip check "pqs-admin check is not implemented yet"
fi

# 3. Report -------------------------------------------------------------------
machine=$(uname -m)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
[[ -n $cpu ]] || cpu=$(uname -p)
cpus=$(nproc)
when=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sqlite_version=$(sqlite3 --version | awk '{ print $1 }')
admin_version=$("$admin" --version 2>/dev/null | awk '{ print $2 }')

ratio () {   # ratio A B → A / B with 2 decimals, or null
  [[ $name == seed_demo ]] && { echo null; return; }
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "null" || b == "null" || b == 0) print "null";
                                   else printf "%.2f\n", a / b }'
}

printf '\nPQS Desk backup benchmark — %s\n' "$when"
printf 'Machine: %s, %s, %s CPUs; SQLite %s; %s\n' "$machine" "$cpu" "$cpus" "$sqlite_version" \
       "$( (( use_hyperfine )) && echo "hyperfine" || echo "bash loop")"
printf 'Database: %s documents, %s bytes (%s MiB)\n\n' "$rows" "$db_size" $((db_size / 1048576))
printf '%-16s %12s %12s %12s  %s\n' "operation" "median (s)" "× .backup" "× cp" "status"
for name in "${order[@]}"; do
  printf '%-16s %12s %12s %12s  %s\n' "$name" "${median[$name]}" \
         "$(ratio "${median[$name]}" "${median[sqlite3_backup]:-null}")" \
         "$(ratio "${median[$name]}" "${median[cp]:-null}")" \
         "${status[$name]}${note[$name]:+ (${note[$name]})}"
done

json_string () {   # a JSON string literal
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/ }; s=${s//$'\n'/ }
  printf '"%s"' "$s"
}

{
  printf '{\n'
  printf '  "date": %s,\n' "$(json_string "$when")"
  printf '  "machine": {"arch": %s, "cpu": %s, "nproc": %s},\n' \
         "$(json_string "$machine")" "$(json_string "$cpu")" "$cpus"
  printf '  "sqlite_version": %s,\n' "$(json_string "$sqlite_version")"
  printf '  "pqs_admin_version": %s,\n' "$(json_string "${admin_version:-unknown}")"
  printf '  "timer": %s,\n' "$( (( use_hyperfine )) && json_string hyperfine || json_string bash-loop)"
  printf '  "runs": %s,\n' "$runs"
  printf '  "documents": %s,\n' "$rows"
  printf '  "database_bytes": %s,\n' "$db_size"
  printf '  "results": {\n'
  last=$(( ${#order[@]} - 1 ))
  for i in "${!order[@]}"; do
    name=${order[$i]}
    printf '    %s: {"median_s": %s, "vs_sqlite3_backup": %s, "vs_cp": %s, "status": %s, "note": %s}' \
           "$(json_string "$name")" "${median[$name]}" \
           "$(ratio "${median[$name]}" "${median[sqlite3_backup]:-null}")" \
           "$(ratio "${median[$name]}" "${median[cp]:-null}")" \
           "$(json_string "${status[$name]}")" "$(json_string "${note[$name]:-}")"
    (( i < last )) && printf ','
    printf '\n'
  done
  printf '  }\n'
  printf '}\n'
} >"$json_out"

echo
echo "JSON written to $json_out"
exit $problems

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench-all.sh — every benchmark, one report (issue 7)
#
# Usage:
#   tests/bench/bench-all.sh [BUILD_DIR]        # or: meson compile -C BUILD_DIR bench-all
#
#   BUILD_DIR   the meson build folder (default: build). Use a buildtype=release
#               (or debugoptimized) build without sanitizers, on a quiet machine.
#
# What it runs, one after the other, each against its reference in the same run:
#   1. seeds a 100,000-document database (`pqs-admin seed-demo`, timed; the
#      search indexes merged as `pqs-admin optimize` would);
#   2. bench-startup: open-and-migrate a new database, open an up-to-date one,
#      against a raw sqlite3 open;
#   3. bench-model.sh on that database: list open and first screen, scroll to
#      the middle, search for a common and a rare word, saves — p50/p95
#      against the sqlite3 shell running the same SQL;
#   4. bench-window under xvfb-run and dbus-run-session: launch to the first
#      frame and to the sign-in page, sign-in to the first screen of
#      documents, scrolling and searching in the window, resident memory —
#      against a bare libadwaita window;
#   5. bench-backup.sh: backup create against `sqlite3 .backup` and `cp`,
#      verify, restore, check (it seeds a database of its own);
#   6. the latency curve: the four interactive queries through the model
#      (bench-model --only …) on 1k, 10k, 100k and 1M documents, plotted
#      log-log with gnuplot;
# then writes, into OUT (default BUILD_DIR/bench-report/):
#   report.txt    the report (also printed), with the machine and the date
#   report.json   every figure, its reference and ratio, and the parts' JSON
#   latency.png   the plot; latency.dat its data
#   *.json *.txt  each part's own output
#
# Environment:
#   DOCUMENTS=N        the main database (default 100000)
#   SCALE_SIZES="..."  sizes for the plot (default "1000 10000 100000 1000000");
#                      a size needing more free disk than there is is skipped
#                      (1M needs ~15 GB while seeding) and the report says so
#   SCALE_REPS=N       repetitions of each query per size (default 100)
#   WINDOW_RUNS=N      launches of each window (default 10)
#   RUNS=N             bench-backup's runs of each command (default 5)
#   REPS, SAVE_REPS    bench-model's repetitions on the main database (200, 50)
#   GSK_RENDERER       GTK's renderer for the window benchmark (default cairo:
#                      Xvfb has no GPU, and GL through llvmpipe measures Mesa)
#   BENCH_CACHE=DIR    keep the seeded databases there and reuse them on the
#                      next run (seeding is then not timed again)
#   OUT=DIR            where the report goes
#   SKIP="a b"         parts to leave out: startup model window backup scale
#   KEEP=1             keep the temporary folder
#
# Exit status: 0 when every part ran, 1 when one failed or was skipped (the
# report says which), 2 on bad usage or a missing tool. Goals are reported,
# never asserted: a missed goal does not change the exit status.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
documents=${DOCUMENTS:-100000}
scale_sizes=${SCALE_SIZES:-1000 10000 100000 1000000}
scale_reps=${SCALE_REPS:-100}
window_runs=${WINDOW_RUNS:-10}
out=${OUT:-$build/bench-report}
skip=" ${SKIP:-} "
admin=$build/src/cli/pqs-admin
bench_startup=$build/tests/bench/bench-startup
bench_model=$build/tests/bench/bench-model
bench_window=$build/tests/bench/bench-window

die () { echo "bench-all: $*" >&2; exit 2; }
note () { echo "bench-all: $*" >&2; }
section () { printf '\n=== %s ===\n' "$*" >&2; }

[[ $# -le 1 ]] || die "usage: $0 [BUILD_DIR]"
[[ -d $build ]] || die "$build is not a build folder (meson setup $build -Dbuildtype=release)"
for tool in sqlite3 python3 gnuplot xvfb-run dbus-run-session; do
  command -v "$tool" >/dev/null || die "$tool is needed (tools/install-deps installs it)"
done
[[ $documents =~ ^[0-9]+$ && $documents -ge 1000 ]] || die "DOCUMENTS must be at least 1000"

# Build what is run, unless meson runs us (it has built the dependencies).
if [[ -z ${MESON_BUILD_ROOT:-} ]]; then
  ninja -C "$build" src/cli/pqs-admin tests/bench/bench-startup tests/bench/bench-model \
        tests/bench/bench-window data/gschemas.compiled >&2 || die "the build failed"
fi
for exe in "$admin" "$bench_startup" "$bench_model" "$bench_window"; do
  [[ -x $exe ]] || die "$exe is missing; build first (ninja -C $build)"
done

mkdir -p "$out" || die "cannot make $out"
rm -f "$out"/*.json "$out"/*.txt "$out"/latency.*
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pqs-bench-all-XXXXXX") || die "cannot make a temporary folder"
cleanup () { if [[ ${KEEP:-0} == 1 ]]; then note "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT
export XDG_DATA_HOME=$tmp/xdg-data XDG_CONFIG_HOME=$tmp/xdg-config XDG_CACHE_HOME=$tmp/xdg-cache
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
unset PQS_DB

problems=0
status_file=$out/parts.tsv        # part <TAB> status <TAB> note
: >"$status_file"
part_status () { printf '%s\t%s\t%s\n' "$1" "$2" "${3:-}" >>"$status_file"; [[ $2 == ok ]] || problems=1; }
skipped () { [[ $skip == *" $1 "* ]]; }
now_ns () { date +%s%N; }
seconds_since () { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

# The machine, before anything runs.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
{
  printf 'date\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'arch\t%s\n' "$(uname -m)"
  printf 'kernel\t%s\n' "$(uname -sr)"
  printf 'cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  printf 'nproc\t%s\n' "$(nproc)"
  printf 'memory_kb\t%s\n' "$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)"
  printf 'load_before\t%s\n' "$load_before"
  printf 'sqlite\t%s\n' "$(sqlite3 --version | awk '{ print $1 }')"
  printf 'commit\t%s\n' "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf 'dirty\t%s\n' "$( [[ -n $(git -C "$root" status --porcelain 2>/dev/null) ]] && echo yes || echo no)"
  printf 'buildtype\t%s\n' "$(meson introspect --buildoptions "$build" 2>/dev/null |
    python3 -c 'import json,sys; print(next((o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"), "unknown"))' 2>/dev/null || echo unknown)"
  printf 'sanitize\t%s\n' "$(meson introspect --buildoptions "$build" 2>/dev/null |
    python3 -c 'import json,sys; print(next((o["value"] for o in json.load(sys.stdin) if o["name"] == "b_sanitize"), "unknown"))' 2>/dev/null || echo unknown)"
  printf 'build\t%s\n' "$build"
} >"$out/machine.tsv"

# Databases --------------------------------------------------------------------------

# The demo users' password: made here, so that the window benchmark can sign in.
password_file=$tmp/password
if [[ -n ${BENCH_CACHE:-} ]]; then
  mkdir -p "$BENCH_CACHE" || die "cannot make $BENCH_CACHE"
  password_file=$BENCH_CACHE/password
fi
if [[ ! -s $password_file ]]; then
  (umask 077; printf 'bench-%s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$password_file")
fi

free_kb () { df -Pk "$1" | awk 'NR == 2 { print $4 }'; }

# seed_db N FILE — seed-demo, merge the search indexes (as bench-model.sh does
# and `pqs-admin optimize` would), checkpoint; records the times in seeds.tsv
# and sets SEEDED to the database's path: FILE, or the cached copy in
# BENCH_CACHE (used in place: every part copies what it writes to).
seed_db () {
  local n=$1 db=$2 start seed_s merge_s tables table
  SEEDED=$db
  if [[ -n ${BENCH_CACHE:-} && -s $BENCH_CACHE/demo-$n.db ]]; then
    note "reusing $BENCH_CACHE/demo-$n.db (seeding not timed)"
    SEEDED=$BENCH_CACHE/demo-$n.db
    printf '%s\tcached\tcached\t%s\n' "$n" "$(stat -c %s "$SEEDED")" >>"$out/seeds.tsv"
    return 0
  fi
  rm -f "$db" "$db-wal" "$db-shm"
  note "seed-demo: $n documents"
  start=$(now_ns)
  if ! "$admin" --db "$db" seed-demo --documents "$n" --password-stdin \
         <"$password_file" >"$tmp/seed-$n.out" 2>&1; then
    cat "$tmp/seed-$n.out" >&2
    return 1
  fi
  seed_s=$(seconds_since "$start")
  start=$(now_ns)
  tables=$(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' AND lower(sql) LIKE '%using fts5%'")
  for table in $tables; do
    sqlite3 "$db" "INSERT INTO \"$table\" (\"$table\") VALUES ('optimize');" || return 1
  done
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null || return 1
  merge_s=$(seconds_since "$start")
  note "  seeded in $seed_s s, indexes merged in $merge_s s, $(( $(stat -c %s "$db") / 1048576 )) MiB"
  printf '%s\t%s\t%s\t%s\n' "$n" "$seed_s" "$merge_s" "$(stat -c %s "$db")" >>"$out/seeds.tsv"
  if [[ -n ${BENCH_CACHE:-} ]] && mv "$db" "$BENCH_CACHE/demo-$n.db"; then
    rm -f "$db-wal" "$db-shm"
    SEEDED=$BENCH_CACHE/demo-$n.db
  fi
}

: >"$out/seeds.tsv"
main_db=$tmp/main.db
section "seeding the main database ($documents documents)"
seed_db "$documents" "$main_db" || die "seed-demo failed; nothing to measure"
main_db=$SEEDED
bytes_per_document=$(( $(stat -c %s "$main_db") / documents + 1 ))

# 1. Start-up --------------------------------------------------------------------------
if skipped startup; then
  part_status startup skipped "SKIP"
else
  section "start-up (bench-startup)"
  if "$bench_startup" --output "$out/startup.json" | tee "$out/startup.txt"; then
    part_status startup ok
  else
    part_status startup failed "bench-startup failed"
  fi
fi

# 2. The model on the main database -----------------------------------------------------
if skipped model; then
  part_status model skipped "SKIP"
else
  section "model layer, $documents documents (bench-model.sh)"
  rm -f "$build/bench-model.json"
  if BENCH_DB=$main_db "$here/bench-model.sh" "$build" | tee "$out/model.txt" &&
     cp "$build/bench-model.json" "$out/model.json"; then
    part_status model ok
  else
    part_status model failed "bench-model.sh failed"
  fi
fi

# 3. The window -------------------------------------------------------------------------
if skipped window; then
  part_status window skipped "SKIP"
else
  section "window (bench-window, under Xvfb)"
  window_db=$tmp/window/pqs.db
  mkdir -p "$tmp/window"
  cp "$main_db" "$window_db"
  if env GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" GDK_BACKEND=x11 \
         GSK_RENDERER="${GSK_RENDERER:-cairo}" NO_AT_BRIDGE=1 LC_ALL=C.UTF-8 \
         xvfb-run -a -s "-screen 0 1280x800x24" \
         dbus-run-session -- "$bench_window" --db "$window_db" \
           --password-file "$password_file" --runs "$window_runs" \
           --output "$out/window.json" 2>"$tmp/window.err" | tee "$out/window.txt" &&
     [[ -s $out/window.json ]]; then
    part_status window ok
  else
    grep -v '^dbus-daemon\|^SpiRegistry' "$tmp/window.err" | tail -n 20 >&2
    part_status window failed "bench-window failed: $(grep -v '^dbus-daemon\|^SpiRegistry' "$tmp/window.err" | tail -n 1)"
  fi
  rm -rf "$tmp/window"
fi

# 4. Backups ----------------------------------------------------------------------------
if skipped backup; then
  part_status backup skipped "SKIP"
else
  section "backup, verify, restore, check (bench-backup.sh)"
  rm -f "$build/bench-backup.json"
  DOCUMENTS=$documents "$here/bench-backup.sh" "$build" | tee "$out/backup.txt"
  backup_exit=${PIPESTATUS[0]}
  if [[ -s $build/bench-backup.json ]]; then
    cp "$build/bench-backup.json" "$out/backup.json"
    if [[ $backup_exit == 0 ]]; then part_status backup ok
    else part_status backup partial "a command was skipped or failed (see backup.txt)"; fi
  else
    part_status backup failed "bench-backup.sh wrote no results"
  fi
fi

# 5. Latency against size ----------------------------------------------------------------
scale_ops="list_open list_middle search_common search_rare"
: >"$out/scale.tsv"            # size <TAB> status <TAB> note
if skipped scale; then
  part_status scale skipped "SKIP"
else
  for n in $scale_sizes; do
    [[ $n =~ ^[0-9]+$ && $n -ge 1000 ]] || { printf '%s\tskipped\tnot a size of at least 1000\n' "$n" >>"$out/scale.tsv"; continue; }
    section "latency at $n documents"
    if [[ $n == "$documents" ]]; then
      db=$main_db
    else
      # Seeding writes the whole database to the WAL, then checkpoints it:
      # about twice its size, plus the bench-model's room.
      need_kb=$(( n * bytes_per_document * 25 / 10 / 1024 + 1048576 ))
      if [[ -z ${BENCH_CACHE:-} || ! -s $BENCH_CACHE/demo-$n.db ]] && (( $(free_kb "$tmp") < need_kb )); then
        printf '%s\tskipped\tneeds %s GiB free in %s, has %s GiB\n' "$n" $(( need_kb / 1048576 )) \
               "$tmp" $(( $(free_kb "$tmp") / 1048576 )) >>"$out/scale.tsv"
        note "skipping $n documents: not enough free disk"
        continue
      fi
      db=$tmp/scale-$n.db
      if ! seed_db "$n" "$db"; then
        printf '%s\tfailed\tseed-demo failed\n' "$n" >>"$out/scale.tsv"
        rm -f "$db" "$db-wal" "$db-shm"
        continue
      fi
      db=$SEEDED
    fi
    ok=1
    for op in $scale_ops; do
      if ! "$bench_model" --db "$db" --only "$op" --repetitions "$scale_reps" \
             --output "$out/scale-$n-$op.json" --fts-merged >"$out/scale-$n-$op.txt" 2>&1; then
        ok=0
        tail -n 3 "$out/scale-$n-$op.txt" >&2
      fi
    done
    if (( ok )); then printf '%s\tok\t\n' "$n" >>"$out/scale.tsv"
    else printf '%s\tfailed\tbench-model failed\n' "$n" >>"$out/scale.tsv"; fi
    [[ $db == "$main_db" || $db == "${BENCH_CACHE:-/nonexistent}"/* ]] || rm -f "$db" "$db-wal" "$db-shm"
  done
  if grep -q $'\tok\t' "$out/scale.tsv"; then
    if grep -qv $'\tok\t' "$out/scale.tsv"; then
      part_status scale partial "$(awk -F'\t' '$2 != "ok" { printf "%s: %s %s; ", $1, $2, $3 }' "$out/scale.tsv")"
    else
      part_status scale ok
    fi
  else
    part_status scale failed "no size measured"
  fi
fi

# 6. The report ---------------------------------------------------------------------------
section "report"
OUT_DIR=$out SCALE_OPS=$scale_ops MAIN_DOCUMENTS=$documents LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)" \
python3 - <<'PYTHON'
import json, os, sys

out = os.environ["OUT_DIR"]
main_n = int(os.environ["MAIN_DOCUMENTS"])
ops = os.environ["SCALE_OPS"].split()

def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None

def tsv(name):
    try:
        with open(os.path.join(out, name)) as f:
            return [line.rstrip("\n").split("\t") for line in f if line.strip()]
    except OSError:
        return []

machine = {row[0]: row[1] for row in tsv("machine.tsv") if len(row) >= 2}
machine["load_after"] = os.environ.get("LOAD_AFTER", "")
parts = {row[0]: {"status": row[1], "note": row[2] if len(row) > 2 else ""} for row in tsv("parts.tsv")}
seeds = {int(r[0]): {"seed_s": None if r[1] == "cached" else float(r[1]),
                     "fts_merge_s": None if r[2] == "cached" else float(r[2]),
                     "bytes": int(r[3])} for r in tsv("seeds.tsv")}
startup, model, window, backup = (load(n) for n in ("startup.json", "model.json", "window.json", "backup.json"))

figures = []          # every figure of the report, in order
def figure(section, key, label, p50, p95, unit, ref_label=None, ref=None, ratio=None,
           goal=None, met=None, extra=None):
    f = {"section": section, "key": key, "label": label, "p50": p50, "p95": p95, "unit": unit,
         "reference": ref_label, "reference_p50": ref, "ratio": ratio, "goal": goal,
         "goal_met": met}
    if extra:
        f.update(extra)
    figures.append(f)

# Start-up
if startup:
    r = startup["results"]
    ref = r["reference"]
    g = startup.get("goal", {})
    for key, label in (("fresh_migrate", "open + migrate a new database"),
                       ("up_to_date", "open an up-to-date database"),
                       ("up_to_date_migrate", "open up-to-date via migrate (launch path)")):
        m = r[key]
        goal = met = None
        if key == "up_to_date":
            goal = "adds < %g ms (p95: %+.2f ms)" % (g.get("limit_ms", 5), g.get("added_p95_ms", 0))
            met = g.get("met")
        figure("Start-up (bench-startup)", key, label, m["median_ms"], m["p95_ms"], "ms",
               "raw sqlite3 open", ref["median_ms"], m["median_ms"] / ref["median_ms"], goal, met)

# Model
model_labels = {
    "list_open": "list open + first screen (50 rows)",
    "list_middle": "scroll to the middle (50 rows)",
    "search_common": "search a common word ('pressure')",
    "search_rare": "search a rare word ('xylophone')",
    "save_edit": "save, 50 items, one answer changed",
    "save_rewrite": "save, 50 items all rewritten",
}
if model:
    for key, label in model_labels.items():
        m = model["results"].get(key)
        if not m:
            continue
        limit = m.get("goal_p95_ms")
        ratio = m.get("ratio_cpu_p50")
        met = None
        goal = None
        if limit:
            goal = "p95 < %g ms, <= 1.3x shell" % limit
            met = (m["model_wall_p95_ms"] is not None and m["model_wall_p95_ms"] <= limit and
                   ratio is not None and ratio <= 1.3)
        figure("Model, %s documents (bench-model)" % format(model["documents"], ","), key, label,
               m["model_wall_p50_ms"], m["model_wall_p95_ms"], "ms", "sqlite3 shell, CPU",
               m.get("shell_cpu_p50_ms"), ratio, goal, met,
               {"ratio_wall_mean": m.get("ratio_wall_mean"),
                "shell_wall_mean_ms": m.get("shell_wall_mean_ms")})

# Window
if window:
    for key, w in window["results"].items():
        goal = w.get("goal")
        met = w.get("goal_met")
        figure("Window, %s documents (bench-window, %s launches)" % (format(int(window.get("documents") or 0), ","), window.get("runs")),
               key, w["description"], w["p50"], w["p95"], w["unit"], w.get("reference"),
               w.get("reference_p50"), w.get("ratio_p50"), goal, met)

# Backup
backup_labels = {
    "seed_demo": "seed-demo (100k documents)",
    "backup_create": "pqs-admin backup create",
    "sqlite3_backup": "sqlite3 .backup",
    "cp": "cp",
    "backup_verify": "pqs-admin backup verify",
    "backup_restore": "pqs-admin backup restore",
    "check": "pqs-admin check",
}
if backup:
    for key, b in backup["results"].items():
        label = backup_labels.get(key, key)
        if key == "seed_demo":
            label = "seed-demo (%s documents)" % format(backup["documents"], ",")
        med = b["median_s"]
        figure("Backup, %s documents (bench-backup, median of %s)" % (format(backup["documents"], ","), backup["runs"]),
               key, label, None if med is None else med * 1000, None, "ms",
               None if key == "seed_demo" else "sqlite3 .backup",
               None if key == "seed_demo" or backup["results"].get("sqlite3_backup", {}).get("median_s") is None
               else backup["results"]["sqlite3_backup"]["median_s"] * 1000,
               b.get("vs_sqlite3_backup"), None, None,
               {"vs_cp": b.get("vs_cp"), "status": b.get("status"), "note": b.get("note")})

# Latency against size
scale_rows = {int(r[0]): {"status": r[1], "note": r[2] if len(r) > 2 else ""} for r in tsv("scale.tsv") if r[0].isdigit()}
scale = {}
for n in sorted(scale_rows):
    if scale_rows[n]["status"] != "ok" and not any(os.path.exists(os.path.join(out, "scale-%d-%s.json" % (n, op))) for op in ops):
        continue
    row = {}
    for op in ops:
        j = load("scale-%d-%s.json" % (n, op))
        m = j and j["results"].get(op)
        if m:
            row[op] = {"p50": m["model_wall_p50_ms"], "p95": m["model_wall_p95_ms"],
                       "shell_cpu_p50": m.get("shell_cpu_p50_ms"), "ratio_cpu_p50": m.get("ratio_cpu_p50")}
    if row:
        scale[n] = row

with open(os.path.join(out, "latency.dat"), "w") as f:
    f.write("# documents " + " ".join("%s_p50 %s_p95" % (op, op) for op in ops) + "  (ms, model wall time)\n")
    for n, row in sorted(scale.items()):
        cells = []
        for op in ops:
            m = row.get(op)
            cells += ["%.4f" % m["p50"], "%.4f" % m["p95"]] if m else ["-", "-"]
        f.write("%d %s\n" % (n, " ".join(cells)))

# Text ------------------------------------------------------------------------------------
def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "MiB":
        return "%.1f MiB" % v
    if v >= 10000:
        return "%.2f s" % (v / 1000)
    if v >= 100:
        return "%.0f ms" % v
    if v >= 10:
        return "%.1f ms" % v
    return "%.3f ms" % v

lines = []
p = lines.append
mem_gib = int(machine.get("memory_kb", "0")) / 1048576
p("PQS Desk benchmark report")
p("Date:    %s (UTC)" % machine.get("date"))
p("Machine: %s, %s, %s CPUs, %.0f GiB RAM, %s; load average %s before, %s after" % (
  machine.get("arch"), machine.get("cpu"), machine.get("nproc"), mem_gib, machine.get("kernel"),
  machine.get("load_before"), machine.get("load_after")))
p("Code:    commit %s%s; build %s (buildtype %s, sanitizers %s); SQLite %s" % (
  machine.get("commit"), " with uncommitted changes" if machine.get("dirty") == "yes" else "",
  machine.get("build"), machine.get("buildtype"), machine.get("sanitize"), machine.get("sqlite")))
if window:
    p("Window:  GTK %s, libadwaita %s, renderer %s under Xvfb; standards view %s" % (
      window.get("gtk_version"), window.get("adw_version"), window.get("renderer"), window.get("standards_view")))
s = seeds.get(main_n)
if s:
    p("Main database: %s documents, %d MiB%s" % (format(main_n, ","), s["bytes"] // 1048576,
      ", from BENCH_CACHE (seeding not timed in this run)" if s["seed_s"] is None
      else ", seeded in %.1f s, search indexes merged in %.1f s" % (s["seed_s"], s["fts_merge_s"])))
cached = [n for n, v in sorted(seeds.items()) if v["seed_s"] is None and n != main_n]
if cached:
    p("Databases from BENCH_CACHE (seeding not timed): %s documents" % ", ".join(format(n, ",") for n in cached))
p("")
p("%-50s %10s %10s  %-22s %10s %8s  %s" % ("figure", "p50", "p95", "reference", "ref p50", "ratio", "goal"))
current = None
missed = []
for f in figures:
    if f["section"] != current:
        current = f["section"]
        p("-- %s" % current)
    ratio = "-" if f["ratio"] is None else "%.2fx" % f["ratio"]
    goal = ""
    if f["goal"] is not None:
        goal = ("met: " if f["goal_met"] else "MISSED: ") + f["goal"]
        if not f["goal_met"]:
            missed.append(f)
    extra = ""
    if f.get("vs_cp") is not None and f["key"] not in ("cp", "seed_demo"):
        extra = " (%.1fx cp)" % f["vs_cp"]
    if f.get("status") not in (None, "ok"):
        extra += " [%s%s]" % (f["status"], (": " + f["note"]) if f.get("note") else "")
    if f.get("ratio_wall_mean") is not None:
        extra = " (%.2fx wall)" % f["ratio_wall_mean"]
    p("%-50s %10s %10s  %-22s %10s %8s  %s%s" % (
      f["label"][:50], fmt(f["p50"], f["unit"]), fmt(f["p95"], f["unit"]), (f["reference"] or "")[:22],
      fmt(f["reference_p50"], f["unit"]) if f["reference_p50"] is not None else "", ratio, goal, extra))

p("")
p("-- Query latency against the number of documents (bench-model, model wall time p50 / p95)")
p("%12s" % "documents" + "".join("%22s" % op for op in ops))
for n, row in sorted(scale.items()):
    cells = ""
    for op in ops:
        m = row.get(op)
        cells += "%22s" % ("-" if not m else "%.3f / %.3f ms" % (m["p50"], m["p95"]))
    p("%12s%s" % (format(n, ","), cells))
for n, r in sorted(scale_rows.items()):
    if r["status"] != "ok":
        p("%12s  %s: %s" % (format(n, ","), r["status"], r["note"]))
if os.path.exists(os.path.join(out, "latency.png")) or scale:
    p("Plot: %s" % os.path.join(out, "latency.png"))

p("")
p("Parts: " + ", ".join("%s %s%s" % (k, v["status"], (" (" + v["note"] + ")") if v["note"] else "") for k, v in parts.items()))
if missed:
    p("Missed goals (%d):" % len(missed))
    for f in missed:
        p("  - %s: %s p50 / %s p95 — %s" % (f["label"], fmt(f["p50"], f["unit"]), fmt(f["p95"], f["unit"]), f["goal"]))
else:
    p("Every goal met.")
p("Ratios are p50 / the reference's p50 (model: CPU p50 / the shell's CPU p50; backup: medians).")

text = "\n".join(lines) + "\n"
with open(os.path.join(out, "report.txt"), "w") as f:
    f.write(text)
report = {"date": machine.get("date"), "machine": machine, "seeds": {str(k): v for k, v in seeds.items()},
          "parts": parts, "figures": figures,
          "latency": {str(k): v for k, v in sorted(scale.items())}, "latency_not_measured": {str(k): v for k, v in scale_rows.items() if v["status"] != "ok"},
          "raw": {"startup": startup, "model": model, "window": window, "backup": backup}}
with open(os.path.join(out, "report.json"), "w") as f:
    json.dump(report, f, indent=2)
PYTHON
[[ $? == 0 ]] || { note "the report could not be written"; problems=1; }

if [[ -s $out/latency.dat ]] && (( $(grep -vc '^#' "$out/latency.dat") > 0 )); then
  subtitle="$(awk -F'\t' '$1 == "cpu" { c = $2 } $1 == "nproc" { n = $2 } $1 == "date" { d = $2 } END { printf "%s, %s CPUs, %s", c, n, d }' "$out/machine.tsv")"
  if ! gnuplot -e "datafile='$out/latency.dat'; outfile='$out/latency.png'; subtitle='$subtitle'" \
         "$here/plot-latency.gp"; then
    note "gnuplot failed"
    problems=1
  fi
fi

echo
cat "$out/report.txt"
echo "Report: $out/report.txt, $out/report.json; plot: $out/latency.png"
exit $problems

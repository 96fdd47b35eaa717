#!/usr/bin/env bash
# Reproduces the figures of docs/benchmarks.md: builds the benchmark tools in Release,
# generates the SARIF files into a scratch directory (never the repository), runs every load
# mode in its own process, interleaved (A B C A B C ...), and prints a markdown table of the
# medians. One process per measurement, because peak RSS is a per-process figure. With
# --latency it also builds a workspace with a million findings and measures didOpen ->
# diagnostics latency (diag_latency_bench).
#
# usage: tests/bench/run.sh [--reps N] [--sets "10k 10k-pretty 100k 100k-pretty 300k-pretty"]
#                           [--modes "read noop dom ingest"] [--dir DIR] [--build-dir DIR]
#                           [--no-build] [--seed S] [--latency] [--latency-reports N]
# Environment: ASPM_BENCH_DIR (scratch dir, default /tmp/aspm-bench),
#              ASPM_BENCH_BUILD_DIR (default <repo>/build-bench).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${ASPM_BENCH_DIR:-/tmp/aspm-bench}"
build="${ASPM_BENCH_BUILD_DIR:-$repo/build-bench}"
reps=5
sets="10k 10k-pretty 100k 100k-pretty 300k-pretty"
modes=""
seed=1
do_build=1
latency=0
latency_reports=10     # report files in the latency workspace
latency_results=101000 # results per report file (correlation merges a few: >= 1M findings)
latency_files=20000    # files in the latency workspace

while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --sets) sets="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --latency) latency=1; shift ;;
    --latency-reports) latency_reports="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$reps" in ''|*[!0-9]*|0) echo "run.sh: --reps needs a positive number" >&2; exit 2 ;; esac

if [ "$do_build" = 1 ]; then
  echo "== building Release in $build" >&2
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DASPM_BUILD_BENCH=ON >/dev/null
  targets=(sarif_gen ingest_bench)
  [ "$latency" = 1 ] && targets+=(diag_latency_bench)
  cmake --build "$build" --target "${targets[@]}" >&2
fi
gen="$build/bin/sarif_gen"
bench="$build/bin/ingest_bench"
for exe in "$gen" "$bench"; do
  [ -x "$exe" ] || { echo "run.sh: $exe not built (drop --no-build)" >&2; exit 1; }
done
available="$("$bench" --list-modes)"
if [ -z "$modes" ]; then
  modes="$available"
else
  for m in $modes; do
    case " $available " in *" $m "*) ;; *) echo "run.sh: mode '$m' not in this build ($available)" >&2; exit 2 ;; esac
  done
fi

# Result sets: name -> generator arguments. Sizes follow the issue: 100k compact is about
# 100 MB, 300k pretty-printed about 700 MB.
gen_args() {
  case "$1" in
    10k) echo "--results 10000" ;;
    10k-pretty) echo "--results 10000 --pretty" ;;
    100k) echo "--results 100000" ;;
    100k-pretty) echo "--results 100000 --pretty" ;;
    300k) echo "--results 300000" ;;
    300k-pretty) echo "--results 300000 --pretty" ;;
    *) echo "run.sh: unknown set '$1'" >&2; return 1 ;;
  esac
}

mkdir -p "$dir"
# About 1.1 GB for the default sets and 2 GB for the latency workspace; ask for twice that so
# the machine keeps some room.
need_kb=$((2200 * 1024))
[ "$latency" = 1 ] && need_kb=$((need_kb + 4000 * 1024))
avail_kb="$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')"
if [ "$avail_kb" -lt "$need_kb" ]; then
  echo "run.sh: $dir has $((avail_kb / 1024)) MB free, need about $((need_kb / 1024)) MB (set ASPM_BENCH_DIR)" >&2
  exit 1
fi

for s in $sets; do
  f="$dir/bench-$s-seed$seed.sarif"
  # Regenerate when the generator changed: the same seed must always mean the same bytes.
  if [ ! -s "$f" ] || [ "$gen" -nt "$f" ]; then
    # shellcheck disable=SC2046
    "$gen" $(gen_args "$s") --seed "$seed" --output "$f.tmp" && mv "$f.tmp" "$f"
  fi
done

raw="$dir/raw-$(date +%Y%m%d-%H%M%S).txt"
: >"$raw"
echo "== raw measurements: $raw" >&2
for s in $sets; do
  f="$dir/bench-$s-seed$seed.sarif"
  cat "$f" >/dev/null  # warm the page cache so no mode pays for the first read alone
  for ((r = 1; r <= reps; r++)); do
    for m in $modes; do
      if ! line="$("$bench" "$m" "$f")"; then
        echo "run.sh: $m on $f failed" >&2
        exit 1
      fi
      echo "set=$s rep=$r $line" | tee -a "$raw" >&2
    done
  done
done

# field NAME LINE -> the value of NAME=... in LINE
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
# median and min of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -g | head -n 1; }
fmt_s() { awk -v x="$1" 'BEGIN { printf "%.3f", x }'; }
kb_to_mb() { awk -v x="$1" 'BEGIN { printf "%.0f", x / 1024 }'; }

echo
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "Commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown), seed $seed, $reps repetitions, interleaved"
echo
# The critical path is the CPU time of the busiest thread: the main thread, or all the others
# together (the reader's converter). With a free core the wall time approaches it.
[ -n "${sets// /}" ] && echo "| file | size (MB) | mode | median (s) | min (s) | CPU median (s) | critical path (s) | peak RSS (MiB) | vs dom | path vs dom CPU | notes |"
[ -n "${sets// /}" ] && echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"
for s in $sets; do
  f="$dir/bench-$s-seed$seed.sarif"
  size_mb="$(awk -v x="$(stat -c %s "$f")" 'BEGIN { printf "%.0f", x / 1e6 }')"
  dom_med=""
  dom_cpu=""
  if grep -q "set=$s .*mode=dom " "$raw"; then
    dom_med="$(grep "set=$s .*mode=dom " "$raw" | while read -r l; do field seconds "$l"; done | median)"
    dom_cpu="$(grep "set=$s .*mode=dom " "$raw" | while read -r l; do field cpu_seconds "$l"; done | median)"
  fi
  for m in $modes; do
    lines="$(grep "set=$s .*mode=$m " "$raw")"
    med="$(while read -r l; do field seconds "$l"; done <<<"$lines" | median)"
    min="$(while read -r l; do field seconds "$l"; done <<<"$lines" | minimum)"
    cpu="$(while read -r l; do field cpu_seconds "$l"; done <<<"$lines" | median)"
    rss="$(while read -r l; do field peak_rss_kb "$l"; done <<<"$lines" | median)"
    crit="$(while read -r l; do
      awk -v c="$(field cpu_seconds "$l")" -v t="$(field thread_cpu_seconds "$l")" \
        'BEGIN { if (t == "") t = c; o = c - t; printf "%.6f\n", (t > o ? t : o) }'
    done <<<"$lines" | median)"
    ratio="-"
    crit_ratio="-"
    if [ -n "$dom_med" ] && [ "$m" != dom ]; then
      ratio="$(awk -v a="$med" -v b="$dom_med" 'BEGIN { printf "%.2f×", a / b }')"
      crit_ratio="$(awk -v a="$crit" -v b="$dom_cpu" 'BEGIN { printf "%.2f×", a / b }')"
    fi
    # What the mode loaded, from its last run (result counts, problems, events).
    notes="$(tail -n 1 <<<"$lines" | tr ' ' '\n' | { grep -Ev '^(set|rep|mode|seconds|cpu_seconds|thread_cpu_seconds|peak_rss_kb|bytes)=' || true; } | tr '\n' ' ' | sed 's/ $//')"
    echo "| $s | $size_mb | $m | $(fmt_s "$med") | $(fmt_s "$min") | $(fmt_s "$cpu") | $(fmt_s "$crit") | $(kb_to_mb "$rss") | $ratio | $crit_ratio | $notes |"
  done
done

[ "$latency" = 1 ] || exit 0

# ---- didOpen -> diagnostics with a million findings loaded
lat="$build/bin/diag_latency_bench"
[ -x "$lat" ] || { echo "run.sh: $lat not built (drop --no-build)" >&2; exit 1; }
ws="$dir/latency-ws-${latency_reports}x${latency_results}-f${latency_files}"
mkdir -p "$ws/.aspm"
# Every report describes the same tree (--file-seed 1) with different results (--seed k), as
# several scanners and scans of one repository do; the first one also writes the tree.
for ((k = 1; k <= latency_reports; k++)); do
  f="$ws/.aspm/report-$k.sarif"
  if [ ! -s "$f" ] || [ "$gen" -nt "$f" ]; then
    src=()
    [ "$k" = 1 ] && src=(--sources "$ws")
    "$gen" --results "$latency_results" --files "$latency_files" --seed "$k" --file-seed 1 "${src[@]}" \
      --output "$f.tmp" && mv "$f.tmp" "$f"
  fi
done
echo "== latency: $lat --workspace $ws" >&2
out="$("$lat" --workspace "$ws")"
echo "$out" >&2
v() { field "$1" "$(tr '\n' ' ' <<<"$out")"; }
echo
echo "didOpen -> diagnostics, $(v findings) findings from $(v results) results in $(v reports) reports over $(v files_with_findings) files"
echo "(load $(v load_seconds) s wall, $(v load_cpu_seconds) s CPU, peak RSS $(kb_to_mb "$(v peak_rss_kb)") MiB; findings per file: median $(v findings_per_file_median), p99 $(v findings_per_file_p99), max $(v findings_per_file_max))"
echo
echo "| $(v sample_opens) opens of $(v sample_files) random files | median (ms) | p90 (ms) | p99 (ms) | max (ms) |"
echo "|---|---:|---:|---:|---:|"
echo "| wall | $(v latency_ms_median) | $(v latency_ms_p90) | $(v latency_ms_p99) | $(v latency_ms_max) |"
echo "| thread CPU | $(v cpu_ms_median) | $(v cpu_ms_p90) | $(v cpu_ms_p99) | $(v cpu_ms_max) |"
echo "| openDocument (wall) | $(v open_ms_median) | | $(v open_ms_p99) | |"
echo "| diagnosticsFor (wall) | $(v diagnostics_ms_median) | | $(v diagnostics_ms_p99) | |"
echo
echo "The $(v hot_files) files with the most findings ($(v hot_min_findings) to $(v hottest_findings)): wall median $(v hot_latency_ms_median) ms, max $(v hot_latency_ms_max) ms; thread CPU median $(v hot_cpu_ms_median) ms, max $(v hot_cpu_ms_max) ms."
echo "The hottest file ($(v hottest_findings) findings): wall median $(v hottest_latency_ms_median) ms, thread CPU median $(v hottest_cpu_ms_median) ms."

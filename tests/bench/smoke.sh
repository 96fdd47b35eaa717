#!/usr/bin/env bash
# Keeps the benchmark tools working without running the benchmark: generates a 100-result log
# (compact and pretty), checks the generator is deterministic and that both layouts carry the
# same JSON, loads the log once in every mode ingest_bench supports, and opens a few files of a
# tiny generated workspace with diag_latency_bench.
# usage: smoke.sh SARIF_GEN INGEST_BENCH DIAG_LATENCY_BENCH
set -euo pipefail
gen="$1"
bench="$2"
latency="$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$gen" --results 100 --seed 7 --output "$tmp/compact.sarif"
"$gen" --results 100 --seed 7 --pretty --output "$tmp/pretty.sarif"
"$gen" --results 100 --seed 7 --output "$tmp/again.sarif"
cmp "$tmp/compact.sarif" "$tmp/again.sarif" || { echo "FAIL: same seed, different bytes" >&2; exit 1; }
"$gen" --results 100 --seed 8 --output "$tmp/other.sarif"
if cmp -s "$tmp/compact.sarif" "$tmp/other.sarif"; then echo "FAIL: seed has no effect" >&2; exit 1; fi
if "$gen" --results nope --output "$tmp/x.sarif" 2>/dev/null; then echo "FAIL: bad --results accepted" >&2; exit 1; fi

value() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
events=()
for f in compact pretty; do
  for m in $("$bench" --list-modes); do
    out="$("$bench" "$m" "$tmp/$f.sarif")"
    echo "$f: $out"
    [ "$(value mode "$out")" = "$m" ] || { echo "FAIL: no figures from $m" >&2; exit 1; }
    [ -n "$(value peak_rss_kb "$out")" ] || { echo "FAIL: no peak RSS from $m" >&2; exit 1; }
    [ "$(value bytes "$out")" = "$(stat -c %s "$tmp/$f.sarif")" ] || { echo "FAIL: $m did not read the whole file" >&2; exit 1; }
    if [ "$m" = noop ]; then events+=("$(value events "$out")"); fi
    if [ "$m" = ingest ] && [ "$(value results "$out")" != 100 ]; then
      echo "FAIL: ingest loaded $(value results "$out") of 100 results" >&2
      exit 1
    fi
  done
done
# Whitespace aside, the two layouts are the same document.
[ "${events[0]}" = "${events[1]}" ] || { echo "FAIL: compact and pretty differ (${events[*]} events)" >&2; exit 1; }

# A workspace whose reports describe the same generated tree.
ws="$tmp/ws"
"$gen" --results 100 --files 50 --seed 1 --file-seed 1 --sources "$ws" --output "$tmp/r1.sarif"
mkdir -p "$ws/.aspm"
mv "$tmp/r1.sarif" "$ws/.aspm/r1.sarif"
"$gen" --results 100 --files 50 --seed 2 --file-seed 1 --output "$ws/.aspm/r2.sarif"
out="$("$latency" --workspace "$ws" --files 5 --hottest 2 --repeat 2)"
echo "$out"
flat="$(tr '\n' ' ' <<<"$out")"
[ "$(value reports "$flat")" = 2 ] || { echo "FAIL: latency bench did not load both reports" >&2; exit 1; }
[ "$(value results "$flat")" = 200 ] || { echo "FAIL: latency bench loaded $(value results "$flat") of 200 results" >&2; exit 1; }
[ "$(value opens "$flat")" = 14 ] && [ "$(value sample_opens "$flat")" = 10 ] || { echo "FAIL: expected 14 opens, 10 of them sampled" >&2; exit 1; }
[ "$(value diagnostics_shown "$flat")" -gt 0 ] || { echo "FAIL: no diagnostics on opened files" >&2; exit 1; }
echo "bench smoke: ok"

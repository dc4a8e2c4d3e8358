#!/usr/bin/env bash
# The matching engine (internal/engine/match) beside the peers of
# /work/shared/peers/match_instance.py, on the same instance files: the
# peers' own generator, then their solver (deferred acceptance in plain Python
# and networkx's min-cost flow) and ours in both modes, each line with its
# time and the peak memory of its process (GNU time). Needs /usr/bin/python3
# with Debian's python3-networkx, and GNU time.
#
#   scripts/bench-match.sh [--large] [WORKDIR]
#
# Default size: 5 000 graduates × 2 000 vacancies × 20 edges. --large:
# 200 000 × 60 000 × 30 (6 000 000 edges); there networkx is left out (it
# would take hours) and the Python deferred acceptance runs alone, from the
# peers' own module.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-/work/shared/peers/match_instance.py}
PY=/usr/bin/python3
large=0
if [ "${1:-}" = "--large" ]; then
	large=1
	shift
fi
W=${1:-/tmp/marshrut-bench-match}
if [ "$large" = 1 ]; then
	DIR=$W/large
	GEN=(--graduates 200000 --vacancies 60000 --edges-per-graduate 30)
else
	DIR=$W/default
	GEN=()
fi
mkdir -p "$W"
go build -o "$W/matchbench" ./internal/engine/match/cmd/matchbench

if [ ! -f "$DIR/edges.csv" ]; then
	"$PY" "$PEERS" gen "$DIR" "${GEN[@]}"
fi
echo "instance: $DIR, $(($(wc -l <"$DIR/edges.csv") - 1)) edges, $(du -m "$DIR/edges.csv" | cut -f1) MB"

# timed LABEL CMD...: runs CMD, prints its output and its peak memory.
timed() {
	local label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/out" 2>&1 || {
		cat "$W/out"
		echo "$label: failed"
		return 1
	}
	cat "$W/out"
	read -r secs kb < <(tail -n 1 "$W/time")
	printf '%-22s process %.2f s, peak %d MB\n' "$label" "$secs" $((kb / 1024))
}

echo "== peers: $PEERS"
if [ "$large" = 1 ]; then
	timed python-peer "$PY" -c '
import sys, time
sys.path.insert(0, sys.argv[1])
import match_instance as mi
grads, cap, edges = mi.load(sys.argv[2])
print(f"graduates={len(grads)} vacancies={len(cap)} seats={sum(cap.values())} edges={len(edges)}")
t = time.perf_counter(); m = mi.deferred_acceptance(grads, cap, edges)
mi.report("python-deferred-accept", m, cap, edges, time.perf_counter() - t)
print("networkx-min-cost-flow skipped at this size")
' "$(dirname "$PEERS")" "$DIR" | tee "$W/peers"
else
	timed python-peers "$PY" "$PEERS" solve "$DIR" | tee "$W/peers"
fi

echo "== marshrut (go)"
timed go-stable "$W/matchbench" -modes stable "$DIR" | tee "$W/stable"
timed go-optimal "$W/matchbench" -modes optimal "$DIR" | tee "$W/optimal"

field() { sed -n "s/.*$2=\([0-9]*\).*/\1/p" "$1" | head -n 1; }
stable=$(grep '^go-stable ' "$W/stable" || true)
optimal=$(grep '^go-optimal ' "$W/optimal" || true)
sw=$(echo "$stable" | sed -n 's/.*welfare=\([0-9]*\).*/\1/p')
ow=$(echo "$optimal" | sed -n 's/.*welfare=\([0-9]*\).*/\1/p')
echo "== summary"
echo "price of stability (welfare optimal / stable): $(awk -v o="$ow" -v s="$sw" 'BEGIN { printf "%.4f", (s > 0 ? o / s : 1) }')"
nx=$(grep '^networkx-min-cost-flow .*welfare=' "$W/peers" | sed -n 's/.*welfare= *\([0-9]*\).*/\1/p' || true)
if [ -n "$nx" ]; then
	if [ "$nx" = "$ow" ]; then
		echo "optimal welfare equals networkx: $ow"
	else
		echo "OPTIMAL WELFARE DIFFERS: ours $ow, networkx $nx"
		exit 1
	fi
fi

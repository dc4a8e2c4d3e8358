#!/usr/bin/env bash
# Import rate of one file of 1 000 000 learner rows: Marshrut (validating every
# row, one transaction) beside sqlite3's .import and psql's \copy of the same
# file into a bare table, on SQLite and on PostgreSQL. Needs sqlite3, psql and
# GNU time; PostgreSQL at $PG (default: local, trust auth).
#
#   scripts/bench-import.sh [WORKDIR]        (ENGINES="sqlite" or "postgres" for one)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/marshrut-bench-import}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
N=${N:-1000000}
mkdir -p "$W"
go build -o "$W/marshrut" ./cmd/marshrut
M="$W/marshrut"

# The source region and the file: every learner of a generated region, exported.
if [ ! -f "$W/region.db" ]; then
	"$M" demo --db "$W/region.db" --learners "$N" --generate-only --log-level warn >/dev/null
fi
if [ ! -f "$W/learners.csv" ]; then
	"$M" export learners "$W/learners.csv" --db "$W/region.db" --log-level warn
fi
rows=$(($(wc -l <"$W/learners.csv") - 1))
echo "file: $W/learners.csv, $rows rows, $(du -m "$W/learners.csv" | cut -f1) MB"

# The same region without its learners, to import into.
empty() {
	sqlite3 "$1" "PRAGMA foreign_keys=ON; DELETE FROM app_user WHERE learner_id IS NOT NULL; DELETE FROM audit_log;
		DELETE FROM learner_stage; DELETE FROM outcome; DELETE FROM learner; DELETE FROM learner_tally; VACUUM;"
}
cols=$(head -1 "$W/learners.csv" | tr ';' '\n' | wc -l)
bare="CREATE TABLE bare ($(seq -s, 1 "$cols" | sed 's/\([0-9]*\)/c\1 text/g'));"

rate() { awk -v n="$rows" -v s="$1" 'BEGIN { printf "%.0f rows/s", n / s }'; }
timed() { /usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/out" 2>&1 || true; read -r secs kb < <(tail -n 1 "$W/time"); }

ENGINES=${ENGINES:-"sqlite postgres"}
if [[ " $ENGINES " == *" sqlite "* ]]; then
echo "== SQLite"
cp "$W/region.db" "$W/import.db"; empty "$W/import.db"
timed "$M" import learners "$W/learners.csv" --db "$W/import.db" --log-level warn
echo "marshrut import: ${secs} s, $(rate "$secs"), peak RSS $((kb / 1024)) MB; $(grep -o 'создано [0-9]*.*' "$W/out" | head -1)"
rm -f "$W/raw.db"; sqlite3 "$W/raw.db" "$bare"
timed sqlite3 "$W/raw.db" ".mode csv" ".separator ;" ".import --skip 1 $W/learners.csv bare"
echo "sqlite3 .import: ${secs} s, $(rate "$secs")"

fi
[[ " $ENGINES " == *" postgres "* ]] || exit 0
echo "== PostgreSQL"
db=bench_import_$$
psql "$PG/postgres" -qc "CREATE DATABASE $db"
trap 'psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
"$M" demo --db "$PG/$db?sslmode=disable" --learners "$N" --generate-only --log-level warn >/dev/null
psql "$PG/$db" -qc "DELETE FROM app_user WHERE learner_id IS NOT NULL; DELETE FROM audit_log; TRUNCATE learner_stage, outcome, learner_tally; DELETE FROM learner;" -c "VACUUM ANALYZE"
timed "$M" import learners "$W/learners.csv" --db "$PG/$db?sslmode=disable" --log-level warn
echo "marshrut import: ${secs} s, $(rate "$secs"), peak RSS $((kb / 1024)) MB; $(grep -o 'создано [0-9]*.*' "$W/out" | head -1)"
psql "$PG/$db" -qc "$bare"
timed psql "$PG/$db" -qc "\\copy bare FROM '$W/learners.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')"
echo "psql \\copy: ${secs} s, $(rate "$secs")"

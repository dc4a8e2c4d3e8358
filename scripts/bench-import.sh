#!/usr/bin/env bash
# Import rate of one file of about 1 000 000 learner rows, on SQLite and on
# PostgreSQL, in one run:
#
#   - Marshrut: `marshrut import learners` of the exported file, validating
#     every row, into the region emptied of its learners;
#   - the fair peer: what an administrator would do instead — the engine's bulk
#     tool loads the same rows (ids, foreign keys and all, taken from the
#     generated region) into the same `learner` table of the same schema,
#     emptied the same way, with its indexes, foreign keys and triggers on:
#     `sqlite3 .import` (through a temporary table, see below) and
#     `psql \copy learner (...) FROM ... (FORMAT csv, HEADER)`;
#   - for reference, the same exported file into a bare table of text columns
#     (no indexes, keys, triggers or checks): not the same work.
#
# Prints rows/s (rows of the file over wall time), Marshrut's peak RSS and the
# machine's load (`uptime`) before and after each engine. Needs sqlite3, psql
# and GNU time; PostgreSQL at $PG (default: local, trust auth).
#
#   scripts/bench-import.sh [WORKDIR]        (ENGINES="sqlite" or "postgres" for one)
#
# N is the demo's --learners: the region's learners, pupils included. The
# figures in BENCHMARKS.md were measured at N=376000 before the generator's
# fix for regions larger than the calibrated one (its colleges' branches each
# took the whole organisation's students, so they grew as N squared): that
# run's file held 934 054 students and graduates.
#
# The generated regions are cached: WORKDIR/region.db and the PostgreSQL
# database $PGREGION (default marshrut_bench_import_region, used as a template;
# drop it when done). Both are made with the same seed and N.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/marshrut-bench-import}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
PGREGION=${PGREGION:-marshrut_bench_import_region}
N=${N:-1000000}
mkdir -p "$W"
go build -o "$W/marshrut" ./cmd/marshrut
M="$W/marshrut"
echo "N=$N, $(nproc) CPU, $(free -m | awk '/^Mem:/ { print $2 " MB RAM" }')"

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

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f rows/s", n / s }'; }
timed() { /usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/out" 2>&1 || true; read -r secs kb < <(tail -n 1 "$W/time"); }
load() { echo "load $1: $(uptime | sed 's/.*load average: //')"; }
marshrut() {
	timed "$M" import learners "$W/learners.csv" --db "$1" --log-level warn
	msecs=$secs
	echo "marshrut import: ${secs} s, $(rate "$rows" "$secs"), peak RSS $((kb / 1024)) MB; $(grep -o 'создано [0-9]*.*' "$W/out" | head -1)"
}
peer() {
	echo "peer ($1): ${secs} s, $(rate "$2" "$secs"), peak RSS $((kb / 1024)) MB"
	awk -v m="$msecs" -v p="$secs" -v r="$rows" -v q="$2" 'BEGIN { printf "marshrut / peer: %.1f %%\n", 100 * (r / m) / (q / p) }'
}

ENGINES=${ENGINES:-"sqlite postgres"}
if [[ " $ENGINES " == *" sqlite "* ]]; then
	echo "== SQLite"
	load before
	# The learner table's own columns, from the generated region: the peer's file.
	scols=$(sqlite3 "$W/region.db" "SELECT name FROM pragma_table_info('learner') ORDER BY cid" | paste -sd,)
	if [ ! -f "$W/learner_cols.csv" ]; then
		sqlite3 -header -csv "$W/region.db" "SELECT $scols FROM learner ORDER BY id" >"$W/learner_cols.csv"
	fi
	prows=$(sqlite3 "$W/region.db" "SELECT count(*) FROM learner")
	# sqlite3 .import writes an empty field as '', never NULL: the 70 000 learners
	# without SNILS would then collide in the unique (region_code, snils) index,
	# and '' is no specialty code. So the peer imports into a temporary table of
	# the same columns and moves the rows with NULLIF on the nullable columns —
	# in the same timed sqlite3 run.
	sel=$(sqlite3 "$W/region.db" "SELECT CASE WHEN \"notnull\" = 0 AND pk = 0 THEN 'NULLIF(' || name || ', '''')' ELSE name END FROM pragma_table_info('learner') ORDER BY cid" | paste -sd,)

	cp "$W/region.db" "$W/import.db"
	empty "$W/import.db"
	marshrut "$W/import.db"
	rm -f "$W/import.db"

	cp "$W/region.db" "$W/peer.db"
	empty "$W/peer.db"
	timed sqlite3 "$W/peer.db" "PRAGMA foreign_keys=ON" "CREATE TEMP TABLE t AS SELECT $scols FROM learner WHERE 0" \
		".mode csv" ".import --skip 1 $W/learner_cols.csv t" "INSERT INTO learner ($scols) SELECT $sel FROM t"
	if [ -s "$W/out" ]; then cat "$W/out"; fi
	peer "sqlite3 .import into learner, same schema" "$prows"
	# The peer's rows are the source's, value for value and type for type.
	sqlite3 "$W/peer.db" "ATTACH '$W/region.db' AS src;
		SELECT 'peer rows: ' || (SELECT count(*) FROM learner) || ', differing from the source: ' ||
			(SELECT count(*) FROM (SELECT $scols FROM learner EXCEPT SELECT $scols FROM src.learner));
		SELECT 'foreign key violations: ' || count(*) FROM pragma_foreign_key_check('learner');"
	rm -f "$W/peer.db"

	rm -f "$W/raw.db"
	sqlite3 "$W/raw.db" "$bare"
	timed sqlite3 "$W/raw.db" ".mode csv" ".separator ;" ".import --skip 1 $W/learners.csv bare"
	echo "bare table (reference only; no indexes, keys or checks), sqlite3 .import: ${secs} s, $(rate "$rows" "$secs")"
	rm -f "$W/raw.db"
	load after
fi
[[ " $ENGINES " == *" postgres "* ]] || exit 0
echo "== PostgreSQL"
if ! psql "$PG/$PGREGION" -qc "SELECT 1 FROM learner LIMIT 1" >/dev/null 2>&1; then
	psql "$PG/postgres" -qc "CREATE DATABASE $PGREGION"
	"$M" demo --db "$PG/$PGREGION?sslmode=disable" --learners "$N" --generate-only --log-level warn >/dev/null
fi
pcols=$(psql "$PG/$PGREGION" -Atc "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
	WHERE table_schema = 'public' AND table_name = 'learner' AND is_generated = 'NEVER'")
if [ ! -f "$W/learner_cols_pg.csv" ]; then
	psql "$PG/$PGREGION" -qc "\\copy (SELECT $pcols FROM learner ORDER BY id) TO '$W/learner_cols_pg.csv' WITH (FORMAT csv, HEADER)"
fi
prows=$(psql "$PG/$PGREGION" -Atc "SELECT count(*) FROM learner")
sum="SELECT count(*) || ' rows, checksum ' || sum(hashtext(t::text)::bigint) FROM (SELECT $pcols FROM learner) t"
source_sum=$(psql "$PG/$PGREGION" -Atc "$sum")
load before
db=bench_import_$$
trap 'for d in ${db}_m ${db}_p; do psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done' EXIT
pempty="DELETE FROM app_user WHERE learner_id IS NOT NULL; DELETE FROM audit_log; TRUNCATE learner_stage, outcome, learner_tally; DELETE FROM learner;"

psql "$PG/postgres" -qc "CREATE DATABASE ${db}_m TEMPLATE $PGREGION"
psql "$PG/${db}_m" -qc "$pempty" -c "VACUUM ANALYZE"
marshrut "$PG/${db}_m?sslmode=disable"
psql "$PG/${db}_m" -qc "$bare"
timed psql "$PG/${db}_m" -qc "\\copy bare FROM '$W/learners.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')"
bsecs=$secs
psql "$PG/postgres" -qc "DROP DATABASE ${db}_m WITH (FORCE)"

psql "$PG/postgres" -qc "CREATE DATABASE ${db}_p TEMPLATE $PGREGION"
psql "$PG/${db}_p" -qc "$pempty" -c "VACUUM ANALYZE"
timed psql "$PG/${db}_p" -v ON_ERROR_STOP=1 -qc "\\copy learner ($pcols) FROM '$W/learner_cols_pg.csv' WITH (FORMAT csv, HEADER)"
if [ -s "$W/out" ]; then cat "$W/out"; fi
peer "psql \\copy into learner, same schema" "$prows"
echo "source: $source_sum; peer: $(psql "$PG/${db}_p" -Atc "$sum")"
psql "$PG/postgres" -qc "DROP DATABASE ${db}_p WITH (FORCE)"
echo "bare table (reference only; no indexes, keys or checks), psql \\copy: ${bsecs} s, $(rate "$rows" "$bsecs")"
load after

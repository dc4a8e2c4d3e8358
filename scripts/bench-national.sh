#!/usr/bin/env bash
# A national file of «Работа России» vacancies into one region: the 88 real
# rows of internal/imports/testdata/trudvsem_vacancies_sample.csv repeated with
# new ids to N rows (default 1 000 000), every 500th moved to Камчатский край;
# the rest are other regions' and are skipped. Prints rows a second and the
# peak resident memory of the import. Needs python3 and GNU time.
#
#   scripts/bench-national.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/marshrut-bench-national}
N=${N:-1000000}
mkdir -p "$W"
go build -o "$W/marshrut" ./cmd/marshrut
if [ ! -f "$W/national.csv" ]; then
	python3 - "$N" "$W/national.csv" <<'PY'
import csv, io, sys
src = open('internal/imports/testdata/trudvsem_vacancies_sample.csv', encoding='utf-8', newline='').read()
rows = list(csv.reader(io.StringIO(src)))
header, rows = rows[0], rows[1:]
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, 'w', encoding='utf-8', newline='') as out:
    w = csv.writer(out, lineterminator='\r\n')
    w.writerow(header)
    for i in range(n):
        r = list(rows[i % len(rows)])
        r[7] = r[7].rsplit('/', 1)[0] + '/%08x-0000-4000-8000-%012x' % (i // len(rows), i)
        if i % 500 == 0:
            r[2] = 'Камчатский край'
        w.writerow(r)
PY
fi
echo "file: $W/national.csv, $N rows, $(du -m "$W/national.csv" | cut -f1) MB"
rm -f "$W/region.db"*
"$W/marshrut" demo --db "$W/region.db" --learners 2000 --generate-only --log-level warn >/dev/null
start=$(date +%s.%N)
/usr/bin/time -f "peak RSS %M KB, user %U s, sys %S s" "$W/marshrut" import vacancies "$W/national.csv" --db "$W/region.db" --log-level warn | head -3
end=$(date +%s.%N)
python3 -c "print('rows/s: %.0f' % ($N / ($end - $start)))"

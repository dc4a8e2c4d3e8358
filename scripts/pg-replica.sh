#!/usr/bin/env bash
# A PostgreSQL primary and one streaming replica of its own, for the tests and
# benchmarks of reads spread to replicas (MARSHRUT_DATABASE_READ_URL). It
# never touches the machine's cluster (127.0.0.1:5432): both clusters live in
# DIR, listen on 127.0.0.1 only, on ports 5440 (primary) and 5441 (replica),
# with their sockets in DIR.
#
#   scripts/pg-replica.sh start DIR           create what is missing, start both, print the two URLs
#   scripts/pg-replica.sh stop DIR            stop both (the data stays)
#   scripts/pg-replica.sh stop-replica DIR    stop the replica alone
#   scripts/pg-replica.sh start-replica DIR   start the replica alone
#   scripts/pg-replica.sh urls DIR            print the two URLs
#
# Every command may be run again: what exists is kept, what runs is left
# running; a replica that is not a copy of this primary (the primary made
# again) is made again. To begin anew: stop, then rm -rf DIR.
# PRIMARY_PORT and REPLICA_PORT change the ports; PGBIN the binaries (by
# default the newest of /usr/lib/postgresql/*/bin, or those on PATH).
# As root the clusters run as the user postgres (initdb refuses root).
set -euo pipefail

usage() {
	sed -n '8,12p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
PRIMARY_PORT=${PRIMARY_PORT:-5440}
REPLICA_PORT=${REPLICA_PORT:-5441}

if [ -z "${PGBIN:-}" ]; then
	PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -z "$PGBIN" ]; then
		PGBIN=$(dirname "$(command -v initdb || command -v pg_ctl || echo /usr/bin/initdb)")
	fi
fi
[ -x "$PGBIN/pg_ctl" ] || { echo "pg-replica: pg_ctl не найден в $PGBIN (задайте PGBIN)" >&2; exit 1; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
primary=$dir/primary
replica=$dir/replica

# as runs a command as the clusters' owner: postgres when we are root.
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
if [ "$(id -u)" = 0 ]; then
	chown postgres: "$dir"
fi

url() { echo "postgres://postgres@127.0.0.1:$1/postgres?sslmode=disable"; }

running() { as "$PGBIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

start_one() { # data-dir port
	if running "$1"; then
		return
	fi
	as "$PGBIN/pg_ctl" -D "$1" -l "$1.log" -w -t 60 \
		-o "-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir" start >/dev/null
}

stop_one() { # data-dir
	if [ -f "$1/PG_VERSION" ] && running "$1"; then
		as "$PGBIN/pg_ctl" -D "$1" -m fast -w -t 60 stop >/dev/null
	fi
}

sysid() { as "$PGBIN/pg_controldata" -D "$1" 2>/dev/null | sed -n 's/^Database system identifier: *//p'; }

make_primary() {
	if [ -f "$primary/PG_VERSION" ]; then
		return
	fi
	rm -rf "$primary"
	as "$PGBIN/initdb" -D "$primary" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
	cat >>"$primary/postgresql.conf" <<-EOF

		# scripts/pg-replica.sh
		wal_level = replica
		max_wal_senders = 10
		wal_keep_size = 256MB
		hot_standby = on
		fsync = off
		synchronous_commit = off
		full_page_writes = off
	EOF
	echo "host replication postgres 127.0.0.1/32 trust" >>"$primary/pg_hba.conf"
}

make_replica() {
	if [ -f "$replica/PG_VERSION" ] && [ "$(sysid "$replica")" = "$(sysid "$primary")" ]; then
		return
	fi
	stop_one "$replica"
	rm -rf "$replica"
	as "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$replica" -R -X stream -c fast >/dev/null
}

case $cmd in
start)
	make_primary
	start_one "$primary" "$PRIMARY_PORT"
	make_replica
	start_one "$replica" "$REPLICA_PORT"
	url "$PRIMARY_PORT"
	url "$REPLICA_PORT"
	;;
start-replica)
	start_one "$replica" "$REPLICA_PORT"
	;;
stop)
	stop_one "$replica"
	stop_one "$primary"
	;;
stop-replica)
	stop_one "$replica"
	;;
urls)
	url "$PRIMARY_PORT"
	url "$REPLICA_PORT"
	;;
*)
	usage
	;;
esac

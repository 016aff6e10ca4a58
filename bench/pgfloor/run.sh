#!/usr/bin/env bash
# Runs one of the floor scripts here with pgbench and reports the CPU
# PostgreSQL spent per event: the machine's busy time over the run (from
# /proc/stat) less pgbench's own. Run it on an otherwise idle machine,
# against a database made by "inkorg migrate" with one account added.
#
#   bash bench/pgfloor/run.sh DATABASE SCRIPT [CLIENTS] [SECONDS]
#
# DATABASE is a database name or a connection string. SCRIPT is one.sql
# (one event per transaction), txN (N events per transaction, one.sql's
# statements one event after another; see tx.sh) or batch10.sql (ten
# events per statement).
set -euo pipefail
if [[ $# -lt 2 ]]; then
	sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
	exit 2
fi
db=$1 script=$2 clients=${3:-8} seconds=${4:-20}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp) times=$(mktemp) generated=$(mktemp)
trap 'rm -f "$out" "$times" "$generated"' EXIT
events=1
if [[ $script =~ ^tx([0-9]+)$ ]]; then
	events=${BASH_REMATCH[1]}
	bash "$here/tx.sh" "$events" >"$generated"
	script=$generated
else
	[[ -f $script ]] || script=$here/$script
	[[ -f $script ]] || { echo "run.sh: no script $2" >&2; exit 2; }
	[[ $(basename "$script") == batch10.sql ]] && events=10
fi
command -v pgbench >/dev/null || { echo "run.sh: pgbench not found (it comes with PostgreSQL's server or contrib package)" >&2; exit 1; }
if [[ -z $(psql -X -Atc 'SELECT 1 FROM accounts LIMIT 1' "$db") ]]; then
	echo "run.sh: $db has no account; add one with inkorg accounts add" >&2
	exit 1
fi

busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
b0=$(busy)
start=$(date +%s.%N)
# pgbench's own CPU, from bash's times after it ran as a child.
rc=0
( pgbench -n -M prepared -f "$script" -c "$clients" -j 1 -T "$seconds" "$db" >"$out"; rc=$?; times >"$times"; exit $rc ) || rc=$?
end=$(date +%s.%N)
b1=$(busy)
if [[ $rc -ne 0 ]] || ! grep -q 'tps = ' "$out"; then
	cat "$out" >&2
	exit 1
fi
grep -E 'failed transactions' "$out" || true
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out")
# The second line of times is the children's user and system time, as 0m1.234s.
child=$(sed -n 2p "$times" | awk '{for (i = 1; i <= 2; i++) { split($i, t, "m"); s += t[1] * 60 + t[2] } print s}')
awk -v tps="$tps" -v k="$events" -v b="$((b1 - b0))" -v hz="$(getconf CLK_TCK)" -v child="$child" \
	-v secs="$(echo "$end - $start" | bc)" -v name="$2" -v c="$clients" -v ncpu="$(nproc)" 'BEGIN {
	busy = b / hz; ev = tps * k * secs
	printf "%s, %d clients: %.0f transactions/s, %.0f events/s; machine busy %.1f of %.1f CPU-s, pgbench %.1f; PostgreSQL %.3f ms CPU per event\n",
		name, c, tps, tps * k, busy, secs * ncpu, child, (busy - child) / ev * 1000
}'

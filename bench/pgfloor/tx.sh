#!/usr/bin/env bash
# Prints a pgbench script that writes N events per transaction with
# one.sql's statements, one event after another: the floor of an ingest
# that committed several events together.
#
#   bash bench/pgfloor/tx.sh N > tx10.sql
set -euo pipefail
n=${1:-}
if ! [[ $n =~ ^[1-9][0-9]*$ ]] || ((n > 1000)); then
	echo "usage: tx.sh N (events per transaction, 1 to 1000)" >&2
	exit 2
fi
one=$(dirname "$0")/one.sql
awk -v n="$n" '
	/^--/ { next }
	/^\\set n / { for (k = 0; k < n; k++) { line = $0; sub(/^\\set n /, "\\set n" k " ", line); print line }; next }
	/^\\set / || /^BEGIN;$/ { print; next }
	/^END;$/ {
		for (k = 0; k < n; k++) for (i = 0; i < m; i++) { line = stmt[i]; gsub(/:n/, ":n" k, line); print line }
		print; next
	}
	{ stmt[m++] = $0 }
' "$one"

#!/usr/bin/env bash
# Stress: the whole test suite twice at once, on one machine, and any failure reported (not part of CI).
# Each copy runs in its own pytest temporary folder; both share the project folder, as two users of one checkout
# would. Usage: bench/stress.sh [extra pytest arguments]
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=python3
logs=$(mktemp -d)
for i in 1 2; do
    "$python" -m pytest -q -p no:cacheprovider --basetemp="$logs/tmp$i" "$@" >"$logs/run$i.log" 2>&1 &
    pids[$i]=$!
done
status=0
for i in 1 2; do
    if wait "${pids[$i]}"; then
        echo "run $i: passed ($(tail -n 1 "$logs/run$i.log"))"
    else
        status=1
        echo "run $i: FAILED"
        grep -E "^(FAILED|ERROR) " "$logs/run$i.log" | sed 's/^/  /'
        echo "  full log: $logs/run$i.log"
    fi
done
exit $status

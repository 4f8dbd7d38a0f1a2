# SPDX-License-Identifier: GPL-2.0-only
#
# The benchmark's case of the guest suite, sourced by check.sh with
# message_slot loaded: bench/bench.c in a short run must finish and report
# every figure, finite, with every goal judged.  Its speed is not tested
# here (make bench measures it); that it measures at all is.
# shellcheck shell=sh

CASES="$CASES bench_short_run_reports_every_figure"

# Minors from here on are the benchmark's: no other case uses them.
BENCH_MINOR=600000

case_bench_short_run_reports_every_figure() {
	out=/tmp/bench-case.out
	json=/tmp/bench-case.json
	rm -f /tmp/bench-node
	mknod /tmp/bench-node c "$(major_of_module)" "$BENCH_MINOR" || return 1
	if ! bench -d /tmp/bench-node -r 3 -m 20 -s 2000 -j 2 > "$out" 2>&1; then
		diag "bench failed:"
		sed 's/^/#   /' "$out"
		return 1
	fi
	rm -f /tmp/bench-node

	awk '$0 == "msgslot-bench-json-begin" { on = 1; next }
		$0 == "msgslot-bench-json-end" { on = 0 }
		on' "$out" > "$json"
	for mark in table-begin table-end data-begin data-end; do
		grep -qx "msgslot-bench-$mark" "$out" || {
			diag "no msgslot-bench-$mark line in bench's output"
			return 1
		}
	done
	if [ "$(head -n 1 "$json")" != "{" ] ||
		[ "$(tail -n 1 "$json")" != "}" ]; then
		diag "no JSON object in bench's output"
		return 1
	fi
	# bench writes null for a figure it could not measure.  Not for the
	# memory line's breakdown (cache, XArray), which a short run's slab
	# counts can leave null; its total is a goal's value.
	bad=$({
		grep -v '"memory": ' "$json"
		grep -Eo '"(object_size|slab_size|objs_per_slab|order)": [^,]*' \
			"$json"
	} | grep ': null')
	if [ -n "$bad" ]; then
		diag "figures bench could not measure:"
		echo "$bad" | sed 's/^/#   /'
		return 1
	fi
	# Every time and rate measured is above zero.
	bad=$(grep -Eo '"(ns|ops_per_s|devnull_ns|bytes_per_slot)": [^,}]*' \
		"$json" | awk '$2 + 0 <= 0')
	[ -z "$bad" ] || { diag "figures of zero or less: $bad"; return 1; }
	rows=$(grep -c '"ns": ' "$json")
	[ "$rows" -eq 13 ] || {
		diag "$rows timed rows, not 5 round trips + 5 calls + 3 opens"
		return 1
	}
	judged=$(grep -Ec '"status": "(MET|MISSED)"' "$json")
	[ "$judged" -eq 6 ] || {
		diag "$judged of the 6 goals judged:"
		grep '"status"' "$json" | sed 's/^/#   /'
		return 1
	}
	# A slot holds at least its 4 x 128 bytes of messages.
	size=$(sed -n 's/.*"object_size": \([0-9]*\).*/\1/p' "$json")
	[ "${size:-0}" -ge 512 ] || {
		diag "object size ${size:-missing}: less than 4 x 128 bytes"
		return 1
	}
	diag "$(grep -A1 '^Round trip' "$out" | tail -n 1 | tr -s ' ')"
}

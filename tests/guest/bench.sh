# SPDX-License-Identifier: GPL-2.0-only
#
# The benchmark's case of the guest suite, sourced by check.sh with
# message_slot loaded: bench (bench/) in a short run must finish and report
# every row and goal it lists (bench --list, from its one table), each by
# name, every figure finite and above zero, every goal judged.  Its speed is
# not tested here (make bench measures it); that it measures at all is.
# shellcheck shell=sh

CASES="$CASES bench_short_run_reports_every_figure"

# Minors from here on are the benchmark's: no other case uses them.
BENCH_MINOR=600000
# The goals the issues set; bench may list more, never fewer.
BENCH_GOALS="rt-vs-floor memory-per-slot open-at-scale scale-separate
	scale-one-slot wakeup-poll-vs-pipe"

# bench_row NAME: the JSON line of row or section NAME, which bench writes
# one a line, in $json.
bench_row() {
	grep -F "{\"name\": \"$1\", \"title\": " "$json"
}

case_bench_short_run_reports_every_figure() {
	out=/tmp/bench-case.out
	json=/tmp/bench-case.json
	names=/tmp/bench-case.names
	# A device path longer than the 128-byte messages, used whole.
	dir=/tmp/bench-a-directory-whose-name-makes-the-device-path-longer-than-one-message-of-128-bytes-which-bench-once-cut-without-a-word
	node=$dir/msgslot-node
	rm -rf "$dir"
	mkdir -p "$dir"
	mknod "$node" c "$(major_of_module)" "$BENCH_MINOR" || return 1
	if ! bench -d "$node" -r 3 -m 20 -s 2000 -j 2 > "$out" 2>&1; then
		diag "bench failed:"
		sed 's/^/#   /' "$out"
		return 1
	fi
	rm -rf "$dir"
	bench --list > "$names" || { diag "bench --list failed"; return 1; }

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
	grep -qF "\"device\": \"$node\"," "$json" || {
		diag "the device's path is not the one given:"
		grep '"device"' "$json" | sed 's/^/#   /'
		return 1
	}

	for goal in $BENCH_GOALS; do
		grep -qx "goal $goal" "$names" || {
			diag "bench --list has no goal $goal"
			return 1
		}
	done
	rows=0
	while read -r kind a b; do
		case $kind in
		section)
			[ "$a" = memory ] && continue
			line=$(bench_row "$a")
			case $line in
			*'"rows": ['*) ;;
			*) diag "no section $a in the JSON"; return 1 ;;
			esac
			;;
		row)
			line=$(bench_row "$b")
			[ "$(echo "$line" | grep -c .)" -eq 1 ] || {
				diag "row $b of $a: not once in the JSON"
				return 1
			}
			# bench writes null for a figure it could not measure.
			case $line in
			*': null'*) diag "row $b: not measured: $line"; return 1 ;;
			esac
			bad=$(echo "$line" | grep -Eo \
				'"(ns|ops_per_s|vs_[a-z_0-9]*|speedup)": [^,}]*' |
				awk '$2 + 0 <= 0')
			[ -z "$bad" ] || {
				diag "row $b: figures of zero or less: $bad"
				return 1
			}
			rows=$((rows + 1))
			;;
		goal)
			line=$(grep -F "{\"name\": \"$a\", \"text\": " "$json")
			case $line in
			*'"status": "MET"'* | *'"status": "MISSED"'*) ;;
			*) diag "goal $a not judged: ${line:-missing}"; return 1 ;;
			esac
			;;
		esac
	done < "$names"
	[ "$rows" -gt 0 ] || { diag "bench --list lists no rows"; return 1; }

	# Not the memory's breakdown (cache, XArray), which a short run's
	# slab counts can leave null; its total is a goal's value.
	bad=$(grep -Eo '"(bytes_per_slot|object_size|slab_size|objs_per_slab|order)": [^,]*' \
		"$json" | grep ': null')
	[ -z "$bad" ] || { diag "memory not measured: $bad"; return 1; }
	# A slot holds at least its 4 x 128 bytes of messages.
	size=$(sed -n 's/.*"object_size": \([0-9]*\).*/\1/p' "$json")
	[ "${size:-0}" -ge 512 ] || {
		diag "object size ${size:-missing}: less than 4 x 128 bytes"
		return 1
	}
	diag "$rows rows; $(grep -A1 '^Round trip' "$out" | tail -n 1 |
		tr -s ' ')"
}

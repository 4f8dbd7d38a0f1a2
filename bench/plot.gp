# SPDX-License-Identifier: GPL-2.0-only
#
# The plot of make bench, as SVG:
#   gnuplot -e "data='bench.dat'; out='bench.svg'; title='...'" bench/plot.gp
# data is what bench prints between msgslot-bench-data-begin and -end: a
# block per section, named by its first comment line (report.c), so the
# blocks are found by name:
#   round_trip  label ns vs_pipe vs_floor
#   wakeup      label ns vs_pipe_poll vs_pipe_epoll
#   scaling     label threads, then each row's speedup vs 1 thread
#   open_close  label slots, then each row's ratio vs 1 slot (the device's
#               first)
#   memory      bytes_per_slot payload_bytes slots

if (!exists("data")) data = 'bench.dat'
if (!exists("out")) out = 'bench.svg'
if (!exists("title")) title = 'msgslot benchmark'

# SVG, or PNG (to look at it without a browser) if out ends in .png.
if (strstrt(out, ".png") > 0) {
	set terminal pngcairo size 1440,420 font "Helvetica,10" background rgb "white"
} else {
	set terminal svg size 1440,420 font "Helvetica,12" background rgb "white"
}
set output out

stats data index "memory" using 1 nooutput
memory = STATS_max
stats data index "scaling" using 2 nooutput
maxthreads = STATS_max
stats data index "wakeup" using 0 nooutput
wakeups = STATS_records

set multiplot layout 1,4 title title font ",13"
set border 3
set tics nomirror
set grid ytics lc rgb "#dddddd"
set style fill solid 0.85 noborder
set boxwidth 0.6
set key top left
set bmargin 5

# 1: the round trip, relative to the floor.
set title "Round trip of 128 bytes, time vs the floor\n(floor: write /dev/null + read /dev/zero;\nlower is faster; dashed: goal 1.3x)"
set ylabel "time / floor"
set xtics rotate by -30 offset -1,0
set yrange [0:*]
set xrange [-0.6:4.6]
set arrow 1 from -0.5,1.3 to 4.5,1.3 nohead dt 2 lc rgb "#c0392b"
plot data index "round_trip" using 0:4:(column(0) == 0 ? 0x2e86c1 : 0x95a5a6):xtic(1) \
	with boxes lc rgb variable notitle, \
     '' index "round_trip" using 0:4:(sprintf("%.2fx", $4)) with labels \
	offset 0,0.7 notitle
unset arrow 1

# 2: the wake-up ping-pong, relative to the pipe's with poll.
set title "Ping-pong between 2 CPUs, time a round\nvs the pipe's with poll (2 wake-ups a round;\nlower is faster; dashed: goal 1.1x)"
set ylabel "time / pipe's"
set xrange [-0.6:wakeups - 0.4]
set arrow 3 from -0.5,1.1 to wakeups - 0.5,1.1 nohead dt 2 lc rgb "#c0392b"
plot data index "wakeup" using 0:3:(strstrt(strcol(1), "msgslot") ? 0x2e86c1 : 0x95a5a6):xtic(1) \
	with boxes lc rgb variable notitle, \
     '' index "wakeup" using 0:3:(sprintf("%.2fx", $3)) with labels \
	offset 0,0.7 notitle
unset arrow 3

# 3: thread scaling.
set title "Calls per second vs 1 thread\n(dashed: perfect scaling)"
set ylabel "speedup"
set xlabel "threads (one per vCPU)"
set key bottom right
set xtics norotate offset 0,0
set xrange [0.8:maxthreads + 0.2]
set yrange [0:maxthreads * 1.15]
set xtics 1
plot x with lines dt 2 lc rgb "#999999" notitle, \
     data index "scaling" using 2:3 with linespoints lw 2 pt 7 \
	lc rgb "#2e86c1" title "readers, own minors", \
     '' index "scaling" using 2:4 with linespoints lw 2 pt 5 \
	lc rgb "#27ae60" title "readers, one slot", \
     '' index "scaling" using 2:5 with linespoints lw 2 pt 9 \
	lc rgb "#e67e22" title "one slot, 1 write : 3 reads", \
     '' index "scaling" using 2:6 with linespoints lw 1 pt 1 \
	lc rgb "#7f8c8d" title "control: /dev/zero readers"
unset xlabel
set xtics autofreq
set key top left

# 4: open + close as the XArray grows.
set title sprintf("open + close vs with 1 slot\n(relative to /dev/null's; memory:\n%.0f bytes a slot, payload 512)", memory)
set ylabel "time / time with 1 slot"
set xlabel "slots allocated"
set xrange [-0.6:2.6]
set yrange [0:1.5]
set arrow 2 from -0.5,1.2 to 2.5,1.2 nohead dt 2 lc rgb "#c0392b"
plot data index "open_close" using 0:3:xtic(1) with boxes lc rgb "#2e86c1" \
	notitle, \
     '' index "open_close" using 0:3:(sprintf("%.2fx", $3)) with labels \
	offset 0,0.7 notitle
unset arrow 2

unset multiplot

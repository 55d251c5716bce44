# SPDX-License-Identifier: GPL-3.0-or-later
#
# plot-latency.gp — query latency against the number of documents, log-log
#
#   gnuplot -e "datafile='latency.dat'; outfile='latency.png'; subtitle='...'" \
#           tests/bench/plot-latency.gp
#
# datafile (written by bench-all.sh), one line per database size:
#   documents  list_open p50 p95  list_middle p50 p95  search_common p50 p95
#              search_rare p50 p95
# in milliseconds (the model's wall time, bench-model); "-" when not measured.
# Solid lines with points are the medians, dashed lines of the same colour the
# p95; the grey line is the 2 ms goal of an interactive query (issue 5).

if (!exists("datafile")) datafile = 'latency.dat'
if (!exists("outfile")) outfile = 'latency.png'
if (!exists("subtitle")) subtitle = ''

set terminal pngcairo size 1000,650 enhanced font 'sans,11'
set output outfile
set datafile missing '-'

set title "PQS Desk: query latency against the number of section documents\n{/*0.8 through the model (bench-model), wall time: p50 solid, p95 dashed}\n{/*0.8 ".subtitle."}"
set xlabel 'section documents'
set ylabel 'wall time per query (ms)'
set logscale xy
set format x '10^{%L}'
set format y '%g'
set grid xtics ytics mxtics mytics lc rgb '#dddddd'
set key outside right top vertical box
set xrange [500:2000000]

goal = 2.0
set arrow from 500, goal to 2000000, goal nohead lc rgb '#888888' lw 2 dt 3
set label 'goal: p95 < 2 ms' at 700, goal * 1.15 tc rgb '#666666'

set style line 1 lc rgb '#1c71d8' lw 2 pt 7 ps 1.2
set style line 2 lc rgb '#2ec27e' lw 2 pt 5 ps 1.2
set style line 3 lc rgb '#e66100' lw 2 pt 9 ps 1.3
set style line 4 lc rgb '#9141ac' lw 2 pt 11 ps 1.3
set style line 11 lc rgb '#1c71d8' lw 1 dt 2 pt 6 ps 1.0
set style line 12 lc rgb '#2ec27e' lw 1 dt 2 pt 4 ps 1.0
set style line 13 lc rgb '#e66100' lw 1 dt 2 pt 8 ps 1.1
set style line 14 lc rgb '#9141ac' lw 1 dt 2 pt 10 ps 1.1

plot datafile using 1:2 with linespoints ls 1 title 'list: open + first screen (p50)', \
     ''       using 1:3 with linespoints ls 11 title '    p95', \
     ''       using 1:4 with linespoints ls 2 title 'list: scroll to the middle (p50)', \
     ''       using 1:5 with linespoints ls 12 title '    p95', \
     ''       using 1:6 with linespoints ls 3 title 'search: common word (p50)', \
     ''       using 1:7 with linespoints ls 13 title '    p95', \
     ''       using 1:8 with linespoints ls 4 title 'search: rare word (p50)', \
     ''       using 1:9 with linespoints ls 14 title '    p95'

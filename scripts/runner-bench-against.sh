#!/bin/sh
# The Runner benchmark of this checkout side by side with another revision's: builds REV in a
# temporary worktree, then runs `RunnerBenchmark STEPS ROUNDS 1 mlp` PAIRS times for each build,
# alternating which goes first, so both meet the same machine load. Prints each run's median
# Runner samples/s and its Runner/plain ratio, and the median of the paired ratios this/REV.
#   usage: scripts/runner-bench-against.sh REV [PAIRS=4] [STEPS=300] [ROUNDS=8]
# Needs a test build of this checkout (mvn -B -q test-compile -pl toolkit).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
rev=$1
pairs=${2:-4}
steps=${3:-300}
rounds=${4:-8}
work=$(mktemp -d /tmp/runkit-bench-against.XXXXXX)
trap 'git -C "$here" worktree remove --force "$work/other" >/dev/null 2>&1 || true' EXIT
git -C "$here" worktree add --detach -q "$work/other" "$rev"
classpath() { # the classpath of a checkout's toolkit test build
  (cd "$1" && mvn -B -q -o test-compile -pl toolkit -Dspotless.check.skip=true >/dev/null \
    && mvn -B -q -o dependency:build-classpath -pl toolkit -Dmdep.includeScope=test \
      -Dmdep.outputFile="$2" >/dev/null)
  echo "$1/toolkit/target/classes:$1/toolkit/target/test-classes:$(cat "$2")"
}
this_cp=$(classpath "$here" "$work/this.cp")
other_cp=$(classpath "$work/other" "$work/other.cp")
run() { # prints "runner-median runner/plain" of one benchmark run
  java -cp "$2" dev.runkit.bench.RunnerBenchmark "$steps" "$rounds" 1 mlp >"$work/$1.out" 2>&1
  median=$(grep '^| 1 median' "$work/$1.out" | awk -F'|' '{gsub(/ /,"",$5); print $5}')
  ratio=$(grep 'median per-round ratio' "$work/$1.out" | sed 's/.*Runner\/plain \([0-9.]*\).*/\1/')
  echo "$median $ratio"
}
echo "pair | $rev Runner samples/s (Runner/plain) | this checkout | this/$rev"
ratios=""
i=1
while [ "$i" -le "$pairs" ]; do
  if [ $((i % 2)) -eq 1 ]; then
    a=$(run "other-$i" "$other_cp"); b=$(run "this-$i" "$this_cp")
  else
    b=$(run "this-$i" "$this_cp"); a=$(run "other-$i" "$other_cp")
  fi
  ratio=$(echo "$a $b" | awk '{printf "%.3f", $3 / $1}')
  ratios="$ratios $ratio"
  echo "$i | $(echo "$a" | awk '{print $1 " (" $2 ")"}') | $(echo "$b" | awk '{print $1 " (" $2 ")"}') | $ratio"
  i=$((i + 1))
done
echo "median this/$rev: $(echo "$ratios" | tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2)}')"

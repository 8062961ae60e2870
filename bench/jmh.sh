#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of splitfed-bench, building target/benchmarks.jar first when it is
# missing or older than the sources of splitfed-core or splitfed-bench. Arguments go to JMH:
#
#   bench/jmh.sh                                  every benchmark, with the settings in its annotations
#   bench/jmh.sh FedAvgBenchmark -wi 1 -i 2       one class, shorter
#   bench/jmh.sh -l                               list the benchmarks
#
# Needs Java 17+ and Maven; the first build downloads JMH from Maven Central.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/splitfed-bench/target/benchmarks.jar"

stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root/splitfed-core" "$root/splitfed-bench" \
      \( -name target -o -name test \) -prune -o \
      \( -path '*/src/main/*' -type f -o -name pom.xml \) -newer "$jar" -print -quit)" ]
}

if stale; then
  command -v mvn >/dev/null || { echo "jmh.sh: Maven (mvn) is needed to build; install it (apt-get install maven)." >&2; exit 2; }
  echo "jmh.sh: building splitfed-bench/target/benchmarks.jar ..." >&2
  (cd "$root" && mvn -q -B -DskipTests package -pl splitfed-bench -am) >&2
fi
. "$root/tools/engine-env.sh"
exec java -jar "$jar" "$@"

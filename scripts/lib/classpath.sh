# Shared by the launch scripts (source it): builds the project when needed and prints the runtime
# classpath of one module, cached in <module>/target/classpath.txt until a pom or a source changes.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/classpath.sh"
#   exec java -cp "$(jbi_classpath kafka-testkit)" eu.ess.justbinit.testkit.EmbeddedKafkaMain "$@"

JBI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# True when a pom, a file under some src/ or this script is newer than $1.
jbi_stale() {
  local cache=$1
  [[ ${BASH_SOURCE[0]} -nt $cache ]] && return 0
  [[ -n $(find "$JBI_ROOT" \( -name target -o -name .git -o -name node_modules \) -prune -o \
      \( -name pom.xml -o -path '*/src/*' \) -type f -newer "$cache" -print -quit) ]]
}

# Prints the runtime classpath of module $1 (e.g. kafka-testkit), building it first if needed.
jbi_classpath() {
  local module=$1
  local cache="$JBI_ROOT/$module/target/classpath.txt"
  if [[ ! -f $cache ]] || jbi_stale "$cache"; then
    echo "building $module ..." >&2
    # One reactor run: siblings resolve to their freshly packaged jars, nothing is installed.
    # includeScope is the plugin's own property name (unprefixed): without it test jars join.
    (cd "$JBI_ROOT" && mvn -B -q -DskipTests -pl "$module" -am \
        -Dmdep.outputFile=target/classpath.deps -DincludeScope=runtime \
        package dependency:build-classpath) >&2 || return 1
    printf '%s:%s\n' "$JBI_ROOT/$module/target/classes" \
        "$(cat "$JBI_ROOT/$module/target/classpath.deps")" >"$cache.tmp"
    mv "$cache.tmp" "$cache"
  fi
  cat "$cache"
}

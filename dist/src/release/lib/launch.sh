# Sourced by the launchers in bin/: the release's home, its java and each program's classpath.
# Needs a Java 17 runtime (JAVA_HOME, else java on PATH) and nothing else.

JBI_HOME=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

# Prints the java command: $JAVA_HOME/bin/java, else the java on PATH.
jbi_java() {
  if [[ -n ${JAVA_HOME:-} ]]; then
    printf '%s' "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null; then
    command -v java
  else
    echo "just-bin-it: no java found: install a Java 17 runtime, or set JAVA_HOME" >&2
    return 1
  fi
}

# Prints the classpath of program $1 (controller or tools): its jar, then the jars that
# lib/$1.classpath lists, as absolute paths.
jbi_classpath() {
  local name=$1 entries entry joined own
  own=("$JBI_HOME/lib/$name"-[0-9]*.jar)
  joined=${own[0]}
  IFS=: read -ra entries <"$JBI_HOME/lib/$name.classpath"
  for entry in "${entries[@]}"; do
    joined+=":$JBI_HOME/$entry"
  done
  printf '%s' "$joined"
}

# Replaces the shell with java running main class $1 of the tools with the remaining arguments,
# so that signals (Ctrl-C) reach the tool itself.
jbi_exec_tool() {
  local main=$1 java classpath
  shift
  java=$(jbi_java) || exit 1
  classpath=$(jbi_classpath tools) || exit 1
  # shellcheck disable=SC2086 # JBI_JAVA_OPTS is a list of options
  exec "$java" ${JBI_JAVA_OPTS:-} -Djava.awt.headless=true -cp "$classpath" "$main" "$@"
}

# Prints the JVM options that let program $1 (java $2, classpath $3) share its classes through an
# archive in $XDG_CACHE_HOME/just-bin-it/cds (default ~/.cache/just-bin-it/cds): map the archive
# when there is one, else write it when the JVM exits. Its name holds what it depends on (the
# java, each jar's size and time, JBI_JAVA_OPTS), so a stale one is never used, and is removed.
# The JVM ignores an archive it cannot use. Prints nothing when JBI_JAVA_OPTS say how to share
# classes (-Xshare:off turns sharing off) or the cache cannot be written.
jbi_class_archive_options() {
  local name=$1 java=$2 classpath=$3 dir key archive entry old
  case " ${JBI_JAVA_OPTS:-} " in
    *" -Xshare"* | *SharedArchiveFile* | *ArchiveClassesAtExit*) return 0 ;;
  esac
  dir=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/just-bin-it/cds
  mkdir -p "$dir" 2>/dev/null && [[ -w $dir ]] || return 0
  key=$({
    stat -L -c '%n %s %Y' "$java"
    printf '%s\n' "${JBI_JAVA_OPTS:-}"
    IFS=: read -ra entries <<<"$classpath"
    for entry in "${entries[@]}"; do stat -c '%n %s %Y' "$entry"; done
  } 2>/dev/null | sha256sum | cut -c1-24)
  archive="$dir/$name-$key.jsa"
  for old in "$dir/$name"-*.jsa; do
    [[ -e $old && $old != "$archive" ]] && rm -f "$old"
  done
  if [[ -s $archive ]]; then
    printf '%s' "-XX:SharedArchiveFile=$archive"
  else
    printf '%s' "-XX:ArchiveClassesAtExit=$archive"
  fi
}

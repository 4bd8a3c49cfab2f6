# Shared by the tool scripts (source it): runs a main class of the tools module.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
#   jbi_exec_tool eu.ess.justbinit.tools.viewer.Viewer "$@"

source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"

# Replaces the shell with java running main class $1 with the remaining arguments, so that
# signals (Ctrl-C) reach the tool itself.
jbi_exec_tool() {
  local main=$1
  shift
  local classpath
  classpath=$(jbi_classpath tools) || exit 1
  exec java -Djava.awt.headless=true -Djbi.root="$JBI_ROOT" -cp "$classpath" "$main" "$@"
}

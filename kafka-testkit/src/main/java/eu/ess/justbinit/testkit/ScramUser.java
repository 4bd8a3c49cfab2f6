package eu.ess.justbinit.testkit;

/**
 * A SCRAM user of an embedded broker; its password never shows in toString. Immutable, so any
 * thread may use it.
 */
record ScramUser(String username, String password) {
  @Override
  public String toString() {
    return "ScramUser[" + username + "]";
  }
}

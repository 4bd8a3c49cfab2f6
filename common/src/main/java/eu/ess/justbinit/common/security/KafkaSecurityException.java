package eu.ess.justbinit.common.security;

/** The Kafka security options do not make a usable set: the message says which and why. */
public final class KafkaSecurityException extends Exception {
  public KafkaSecurityException(String message) {
    super(message);
  }
}

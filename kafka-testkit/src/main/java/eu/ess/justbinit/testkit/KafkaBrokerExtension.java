package eu.ess.justbinit.testkit;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the test JVM's one {@link EmbeddedKafka}, started on first use and stopped at the end of
 * the run, into test constructors, test methods and lifecycle methods ({@code @BeforeAll} too):
 *
 * <pre>
 * &#64;ExtendWith(KafkaBrokerExtension.class)
 * class MyTest {
 *   &#64;Test void works(EmbeddedKafka kafka) { ... }
 * }
 * </pre>
 *
 * The broker is shared, so tests use topic names of their own. It has a SASL_PLAINTEXT
 * SCRAM-SHA-512 listener too, with user {@link #SCRAM_USER} and a password made up for the run
 * ({@link EmbeddedKafka#saslClientProperties()}). Tests that stop the broker start one of their own
 * with {@link EmbeddedKafka#builder()} instead.
 */
public final class KafkaBrokerExtension implements ParameterResolver {
  public static final String SCRAM_USER = "jbi-test";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedBroker.class, key -> new SharedBroker(), SharedBroker.class)
        .kafka;
  }

  /** Closes the broker when JUnit closes the root store, at the end of the run. */
  private static final class SharedBroker implements ExtensionContext.Store.CloseableResource {
    final EmbeddedKafka kafka =
        EmbeddedKafka.builder().withSaslScram(SCRAM_USER, randomPassword()).start();

    @Override
    public void close() {
      kafka.close();
    }

    private static String randomPassword() {
      byte[] bytes = new byte[18];
      new SecureRandom().nextBytes(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
  }
}

package eu.ess.justbinit.controller.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import eu.ess.justbinit.wire.rpc.LogLevel;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  @Test
  void loggingTheSettingsNeverShowsThePassword() {
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"u\" password=\"s3cret-pw\";";
    WorkerSettings settings =
        new WorkerSettings(
            WorkerContract.MAIN_CLASS,
            List.of(),
            Path.of("/tmp"),
            List.of("localhost:9092"),
            Map.of("sasl.jaas.config", jaas, "security.protocol", "SASL_PLAINTEXT"),
            Duration.ofMillis(500),
            LogLevel.INFO,
            false,
            RestartPolicy.standard(),
            SparePool.fixed(1),
            "heartbeat",
            "none",
            OptionalInt.empty());

    assertFalse(settings.toString().contains("s3cret-pw"), settings.toString());
    assertEquals(jaas, settings.kafkaSecurity().get("sasl.jaas.config"), "still usable");
  }
}

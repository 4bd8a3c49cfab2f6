package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.controller.command.Command;
import eu.ess.justbinit.controller.command.CommandParser;
import eu.ess.justbinit.controller.command.ConfigCommand;
import eu.ess.justbinit.controller.command.HistogramTarget;
import eu.ess.justbinit.controller.command.MessageId;
import eu.ess.justbinit.controller.command.ParseResult;
import eu.ess.justbinit.controller.command.Rejection;
import eu.ess.justbinit.controller.command.ResetCountsCommand;
import eu.ess.justbinit.controller.command.Response;
import eu.ess.justbinit.controller.command.StopCommand;
import eu.ess.justbinit.controller.service.ControllerSettings.ConfigMode;
import eu.ess.justbinit.controller.supervisor.Supervisor;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Carries out each batch of commands read from the config topic, in order, each once, and answers
 * every one that carries a msg_id on the response topic. Called by the controller's command thread
 * only; it takes no lock (the supervisor guards itself).
 *
 * <p>When configs replace the running histograms and a batch holds several valid configs, the
 * latest wins: the earlier ones are never started and, when they carry a msg_id, are answered ERR
 * "superseded" (an ACK would promise histograms that will never be published). A config refused by
 * the parser does not supersede anything. When configs add histograms ({@code --config-mode add}),
 * each one is carried out, in order.
 */
final class CommandHandler {
  private static final Logger LOG = Logger.getLogger(CommandHandler.class.getName());

  /** Workers stopped by a command must be gone before NICOS's 5 s patience runs out. */
  private static final Duration COMMAND_STOP_TIMEOUT = Duration.ofSeconds(3);

  private final ControllerSettings settings;
  private final Producer<byte[], byte[]> producer;
  private final Supervisor workers;
  private final CommandParser parser;
  private final DataTopicCheck dataTopics;
  private final OutputTopicCheck outputTopics;

  CommandHandler(
      ControllerSettings settings,
      Clock clock,
      Producer<byte[], byte[]> producer,
      Supervisor workers) {
    this.settings = settings;
    this.producer = producer;
    this.workers = workers;
    this.parser = new CommandParser(clock);
    this.dataTopics = new DataTopicCheck(settings.kafkaSecurity());
    this.outputTopics =
        new OutputTopicCheck(settings.brokers(), settings.kafkaSecurity(), settings.compression());
  }

  /** Carries out and answers the commands of one poll, {@code batch} their record values. */
  void handle(List<byte[]> batch) {
    List<ParseResult> parsed = batch.stream().map(value -> parser.parse(nonNull(value))).toList();
    int latestConfig = -1;
    for (int i = 0; i < parsed.size() && settings.configMode() == ConfigMode.REPLACE; i++) {
      if (parsed.get(i) instanceof ConfigCommand) {
        latestConfig = i;
      }
    }
    for (int i = 0; i < parsed.size(); i++) {
      ParseResult result = parsed.get(i);
      Optional<String> error;
      Optional<MessageId> msgId;
      if (result instanceof Rejection rejection) {
        msgId = rejection.msgId();
        error = Optional.of(rejection.message());
      } else {
        Command command = (Command) result;
        msgId = command.msgId();
        if (command instanceof ConfigCommand && i < latestConfig) {
          error = Optional.of("Superseded by a later config that arrived with it; not started");
        } else {
          error = execute(command);
        }
      }
      respond(msgId, error);
    }
    producer.flush();
  }

  private static byte[] nonNull(byte[] value) {
    return value == null ? new byte[0] : value;
  }

  /** Carries out a valid command: empty when done, else why not. */
  private Optional<String> execute(Command command) {
    if (command instanceof ConfigCommand config) {
      return configure(config);
    } else if (command instanceof StopCommand stop) {
      LOG.info(() -> "Stop command received" + describe(stop.target()));
      if (stop.target().isEmpty()) {
        workers.stop(COMMAND_STOP_TIMEOUT);
      } else {
        HistogramTarget target = stop.target().get();
        if (!workers.has(target.id())) {
          return Optional.of(unknown(target));
        }
        workers.stop(target.id(), COMMAND_STOP_TIMEOUT);
      }
    } else if (command instanceof ResetCountsCommand reset) {
      LOG.info(() -> "Reset command received" + describe(reset.target()));
      if (reset.target().isEmpty()) {
        workers.resetCounts();
      } else {
        HistogramTarget target = reset.target().get();
        if (!workers.has(target.id())) {
          return Optional.of(unknown(target));
        }
        workers.resetCounts(target.id());
      }
    }
    return Optional.empty();
  }

  /** Checks a config's histograms against the workers and the topics, then runs them. */
  private Optional<String> configure(ConfigCommand config) {
    LOG.info(() -> "Config command received: " + config.histograms().size() + " histogram(s)");
    List<HistogramSpec> specs = config.histograms();
    Optional<String> unfit = workers.unfit(specs);
    if (unfit.isEmpty()) {
      unfit = outputTopics.check(specs);
    }
    if (unfit.isPresent()) {
      return unfit;
    }
    if (!settings.simulation()) {
      DataTopicCheck.Outcome outcome = dataTopics.check(specs);
      if (outcome instanceof DataTopicCheck.Refused refused) {
        return Optional.of(refused.reason());
      }
      specs = ((DataTopicCheck.Ready) outcome).specs();
    }
    if (settings.configMode() == ConfigMode.ADD) {
      workers.add(specs, COMMAND_STOP_TIMEOUT);
    } else {
      workers.stop(COMMAND_STOP_TIMEOUT);
      workers.assign(specs);
    }
    return Optional.empty();
  }

  private static String describe(Optional<HistogramTarget> target) {
    return target
        .map(named -> " for histogram '" + CommandParser.abbreviate(named.id()) + "'")
        .orElse("");
  }

  private static String unknown(HistogramTarget target) {
    return target.field()
        + ": no running histogram has the id '"
        + CommandParser.abbreviate(target.id())
        + "'";
  }

  /** ACK, or ERR with {@code error}, to {@code msgId} on the response topic, if both exist. */
  private void respond(Optional<MessageId> msgId, Optional<String> error) {
    error.ifPresent(why -> LOG.warning("Command refused: " + why));
    if (msgId.isEmpty()) {
      if (error.isPresent()) {
        LOG.warning("The refused command had no msg_id: no response sent");
      }
      return;
    }
    if (settings.responseTopic().isEmpty()) {
      LOG.fine("No response topic: no response sent");
      return;
    }
    byte[] response =
        error
            .map(why -> Response.error(msgId.get(), why))
            .orElseGet(() -> Response.ack(msgId.get()));
    var unused =
        producer.send(
            new ProducerRecord<>(settings.responseTopic().get(), response),
            (metadata, failure) -> {
              if (failure != null) {
                LOG.severe("Could not send the response to msg_id " + msgId.get() + ": " + failure);
              }
            });
  }
}

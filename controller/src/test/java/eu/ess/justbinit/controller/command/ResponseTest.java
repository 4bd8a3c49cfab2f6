package eu.ess.justbinit.controller.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class ResponseTest {
  @Test
  void ackEchoesAStringMsgId() {
    assertEquals(
        "{\"msg_id\":\"unique_id_123\",\"response\":\"ACK\"}",
        new String(Response.ack(MessageId.of("unique_id_123")), UTF_8));
  }

  @Test
  void errEchoesANumericMsgIdAndCarriesTheMessage() {
    assertEquals(
        "{\"msg_id\":42,\"response\":\"ERR\",\"message\":\"Unknown command type 'conf'\"}",
        new String(Response.error(MessageId.of(42), "Unknown command type 'conf'"), UTF_8));
  }

  @Test
  void theMsgIdComesBackExactlyAsItCame() {
    Command stop =
        (Command)
            new CommandParser(Clock.systemUTC())
                .parse("{\"cmd\": \"stop\", \"msg_id\": 1.50}".getBytes(UTF_8));
    assertEquals(
        "{\"msg_id\":1.50,\"response\":\"ACK\"}",
        new String(Response.ack(stop.msgId().orElseThrow()), UTF_8));
  }

  @Test
  void quotesAndControlCharactersInTheMessageAreEscaped() {
    assertEquals(
        "{\"msg_id\":\"a\\\"b\",\"response\":\"ERR\",\"message\":\"x\\ny\"}",
        new String(Response.error(MessageId.of("a\"b"), "x\ny"), UTF_8));
  }
}

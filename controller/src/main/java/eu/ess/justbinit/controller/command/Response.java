package eu.ess.justbinit.controller.command;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The ACK and ERR responses of the response topic, as the original writes them. */
public final class Response {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Response() {}

  /** {@code {"msg_id": …, "response": "ACK"}}. */
  public static byte[] ack(MessageId msgId) {
    return write(msgId, "ACK", null);
  }

  /** {@code {"msg_id": …, "response": "ERR", "message": …}}. */
  public static byte[] error(MessageId msgId, String message) {
    return write(msgId, "ERR", message);
  }

  private static byte[] write(MessageId msgId, String response, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator json = MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeFieldName("msg_id");
      MAPPER.writeTree(json, msgId.node());
      json.writeStringField("response", response);
      if (message != null) {
        json.writeStringField("message", message);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    return out.toByteArray();
  }
}

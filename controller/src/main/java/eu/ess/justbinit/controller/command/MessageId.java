package eu.ess.justbinit.controller.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A command's msg_id, kept as it came (a JSON string or number) so that the response echoes it
 * unchanged.
 */
public final class MessageId {
  private final JsonNode value;

  private MessageId(JsonNode value) {
    this.value = value;
  }

  /** A string msg_id. */
  public static MessageId of(String value) {
    return new MessageId(JsonNodeFactory.instance.textNode(value));
  }

  /** A numeric msg_id. */
  public static MessageId of(long value) {
    return new MessageId(JsonNodeFactory.instance.numberNode(value));
  }

  /** {@code value} must be a textual or numeric node. */
  static MessageId ofNode(JsonNode value) {
    if (!value.isTextual() && !value.isNumber()) {
      throw new IllegalArgumentException("msg_id must be a string or a number");
    }
    return new MessageId(value);
  }

  JsonNode node() {
    return value;
  }

  /** The id as JSON: {@code "abc"} or {@code 42}. */
  @Override
  public String toString() {
    return value.toString();
  }

  /** Equal when written the same in JSON: 7 equals 7, not 7.0 nor "7". */
  @Override
  public boolean equals(Object other) {
    return other instanceof MessageId id && id.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}

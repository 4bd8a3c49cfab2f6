package eu.ess.justbinit.command;

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

  @Override
  public boolean equals(Object other) {
    return other instanceof MessageId id && id.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}

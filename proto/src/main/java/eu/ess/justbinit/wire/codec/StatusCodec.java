package eu.ess.justbinit.wire.codec;

import com.google.flatbuffers.FlatBufferBuilder;
import eu.ess.justbinit.wire.codec.fbs.x5f2.Status;
import java.nio.ByteBuffer;

/** Encodes and decodes x5f2 status messages. */
public final class StatusCodec {
  private static final int X5F2 = FlatBufferView.id("x5f2");

  private StatusCodec() {}

  /**
   * Writes all five strings, even when empty: the Python reader fails on absent ones.
   *
   * @throws IllegalArgumentException when processId or updateIntervalMs do not fit in 32 unsigned
   *     bits
   */
  public static byte[] encode(StatusMessage status) {
    FlatBufferBuilder builder = new FlatBufferBuilder(256);
    int softwareName = builder.createString(status.softwareName());
    int softwareVersion = builder.createString(status.softwareVersion());
    int serviceId = builder.createString(status.serviceId());
    int hostName = builder.createString(status.hostName());
    int statusJson = builder.createString(status.statusJson());
    int root =
        Status.createStatus(
            builder,
            softwareName,
            softwareVersion,
            serviceId,
            hostName,
            uint32(status.processId(), "processId"),
            uint32(status.updateIntervalMs(), "updateIntervalMs"),
            statusJson);
    Status.finishStatusBuffer(builder, root);
    return builder.sizedByteArray();
  }

  /**
   * Decodes {@code buffer} (position..limit is the message); the buffer is left as it is.
   *
   * @throws CodecException when the bytes are not a valid x5f2 message
   */
  public static StatusMessage decode(ByteBuffer buffer) throws CodecException {
    FlatBufferView view = new FlatBufferView();
    view.reset(buffer, "status message");
    if (view.identifier() != X5F2) {
      throw new CodecException(
          "unknown identifier \"" + view.identifierText() + "\": not an x5f2 message");
    }
    view.schema("x5f2");
    int root = view.root();
    return new StatusMessage(
        view.string(root, 0, "software_name"),
        view.string(root, 1, "software_version"),
        view.string(root, 2, "service_id"),
        view.string(root, 3, "host_name"),
        Integer.toUnsignedLong(view.int32(root, 4, "process_id")),
        Integer.toUnsignedLong(view.int32(root, 5, "update_interval")),
        view.string(root, 6, "status_json"));
  }

  private static long uint32(long value, String name) {
    if (value < 0 || value > 0xffff_ffffL) {
      throw new IllegalArgumentException(name + " " + value + " does not fit in 32 unsigned bits");
    }
    return value;
  }
}

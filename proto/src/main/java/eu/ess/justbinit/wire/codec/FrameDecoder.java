package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a da00 DataArray as a pre-binned time-of-flight frame ({@link BinnedFrame}), in place, by
 * the rules just-bin-it applies: the first variables named {@code signal} and {@code frame_time}
 * are read and every other is ignored; the signal must be numeric with one axis per dimension,
 * {@code frame_time} among them; {@code frame_time} must be one-dimensional with a unit of ns, us,
 * usec, ms or s, and hold the signal's n + 1 edges or its n upper edges (the edges are then 0
 * followed by them), strictly increasing once in ns. Anything else is a {@link CodecException}.
 *
 * <p>Allocation-free per message when the buffer is little-endian (or a heap buffer over the same
 * array as last time), the source name equals the previous message's and the edges fit the array
 * grown for an earlier frame. Not thread-safe: one decoder per consuming thread.
 */
public final class FrameDecoder {
  private static final byte[][] UNITS = {
    Da00Slots.ascii("ns"),
    Da00Slots.ascii("us"),
    Da00Slots.ascii("usec"),
    Da00Slots.ascii("ms"),
    Da00Slots.ascii("s")
  };
  private static final long[] FACTORS = {1, 1_000, 1_000, 1_000_000, 1_000_000_000};

  private final FlatBufferView view = new FlatBufferView();
  private final BinnedFrame frame = new BinnedFrame();
  private byte[] lastSourceBytes = new byte[0];
  private String lastSource = "";

  /** Whether {@code buffer} (position..limit) carries the da00 file identifier. */
  public static boolean isDa00(ByteBuffer buffer) {
    return buffer.remaining() >= 8
        && buffer.get(buffer.position() + 4) == 'd'
        && buffer.get(buffer.position() + 5) == 'a'
        && buffer.get(buffer.position() + 6) == '0'
        && buffer.get(buffer.position() + 7) == '0';
  }

  /**
   * Decodes {@code buffer} (position..limit is the message) without copying the signal.
   *
   * @return the decoder's one frame, valid until the next call
   * @throws CodecException when the bytes are not a da00 frame just-bin-it can read
   */
  public BinnedFrame decode(ByteBuffer buffer) throws CodecException {
    view.reset(buffer, "da00 message");
    if (view.identifier() != Da00Slots.ID) {
      throw new CodecException(
          "unknown identifier \"" + view.identifierText() + "\": not a da00 message");
    }
    view.schema("da00");
    int root = view.root();
    String source = source(root);
    long timestamp = view.int64(root, Da00Slots.TIMESTAMP, "timestamp");
    int variables = view.vector(root, Da00Slots.DATA, 4, "data");
    if (variables < 0) {
      throw view.missing("data");
    }
    int signal = -1;
    int frameTime = -1;
    for (int i = 0; i < view.length(variables) && (signal < 0 || frameTime < 0); i++) {
      int variable = view.tableElement(variables, i, "data");
      int name = view.vector(variable, Da00Slots.NAME, 1, "name");
      if (signal < 0 && view.textEquals(name, Da00Slots.SIGNAL)) {
        signal = variable;
      } else if (frameTime < 0 && view.textEquals(name, Da00Slots.FRAME_TIME)) {
        frameTime = variable;
      }
    }
    if (signal < 0) {
      throw new CodecException("da00: no variable named signal");
    }
    if (frameTime < 0) {
      throw new CodecException("da00: no variable named frame_time");
    }
    Da00Type signalType = numeric(signal, "signal");
    int shape = view.vector(signal, Da00Slots.SHAPE, 8, "signal shape");
    int dimensions = view.length(shape);
    int axes = view.vector(signal, Da00Slots.AXES, 4, "signal axes");
    if (view.length(axes) != dimensions) {
      throw new CodecException(
          "da00: signal has "
              + view.length(axes)
              + " axes for "
              + dimensions
              + " dimensions, it needs one axis per dimension");
    }
    int timeAxis = -1;
    for (int i = 0; i < dimensions && timeAxis < 0; i++) {
      if (view.textEquals(view.stringElement(axes, i, "signal axes"), Da00Slots.FRAME_TIME)) {
        timeAxis = i;
      }
    }
    if (timeAxis < 0) {
      throw new CodecException("da00: signal has no frame_time axis");
    }
    long bins = 0;
    long outer = 1;
    long inner = 1;
    for (int i = 0; i < dimensions; i++) {
      long extent = view.buffer().getLong(shape + 4 + 8 * i);
      if (extent < 0 || extent > Integer.MAX_VALUE) {
        throw new CodecException("da00: signal shape has extent " + extent);
      }
      if (i < timeAxis) {
        outer *= extent;
      } else if (i > timeAxis) {
        inner *= extent;
      } else {
        bins = extent;
      }
      if (outer * inner * Math.max(bins, 1) > Integer.MAX_VALUE) {
        throw new CodecException("da00: signal shape is too large");
      }
    }
    int signalData = data(signal, signalType, bins * outer * inner, "signal");
    edges(frameTime, (int) bins);
    frame.fill(
        source,
        timestamp,
        view.buffer(),
        signalType,
        signalData,
        (int) bins,
        (int) (outer * inner),
        (int) inner);
    return frame;
  }

  /** Reads frame_time into the frame's edges, in ns. */
  private void edges(int frameTime, int bins) throws CodecException {
    Da00Type type = numeric(frameTime, "frame_time");
    int shape = view.vector(frameTime, Da00Slots.SHAPE, 8, "frame_time shape");
    if (view.length(shape) != 1) {
      throw new CodecException(
          "da00: frame_time must be one-dimensional, it has " + view.length(shape) + " dimensions");
    }
    long length = view.buffer().getLong(shape + 4);
    int unit = view.vector(frameTime, Da00Slots.UNIT, 1, "frame_time unit");
    if (unit < 0) {
      throw new CodecException("da00: frame_time has no unit");
    }
    int factor = -1;
    for (int i = 0; i < UNITS.length && factor < 0; i++) {
      if (view.textEquals(unit, UNITS[i])) {
        factor = i;
      }
    }
    if (factor < 0) {
      throw new CodecException(
          "da00: frame_time unit \"" + view.text(unit) + "\" is not ns, us, usec, ms or s");
    }
    boolean upper;
    if (length == bins + 1L) {
      upper = false;
    } else if (length == bins) {
      upper = true;
    } else {
      throw new CodecException(
          "da00: frame_time has "
              + length
              + " values for "
              + bins
              + " bins, it needs "
              + (bins + 1)
              + " edges or "
              + bins
              + " upper edges");
    }
    int data = data(frameTime, type, length, "frame_time");
    double[] edges = frame.edges(bins + 1);
    int offset = 0;
    if (upper) {
      edges[0] = 0;
      offset = 1;
    }
    ByteBuffer buffer = view.buffer();
    for (int i = 0; i < length; i++) {
      edges[offset + i] = scaled(type, buffer, data, i, factor);
    }
    for (int i = 0; i < bins; i++) {
      if (!(edges[i] < edges[i + 1])) {
        throw new CodecException(
            "da00: frame_time edges must be strictly increasing, edge "
                + i
                + " is "
                + edges[i]
                + " ns and edge "
                + (i + 1)
                + " is "
                + edges[i + 1]
                + " ns");
      }
    }
  }

  /**
   * Value {@code i} in ns. Floating types scale in their own precision, as numpy does (float32
   * times a float32 factor); integers scale in long.
   */
  private static double scaled(Da00Type type, ByteBuffer buffer, int data, int i, int unit)
      throws CodecException {
    long factor = FACTORS[unit];
    return switch (type) {
      case FLOAT64 -> buffer.getDouble(data + 8 * i) * (double) factor;
      case FLOAT32 -> buffer.getFloat(data + 4 * i) * (float) factor;
      default -> {
        long value = type.longAt(buffer, data, i);
        if (type == Da00Type.UINT64 && value < 0) {
          throw new CodecException(
              "da00: frame_time value " + Long.toUnsignedString(value) + " overflows in ns");
        }
        try {
          yield Math.multiplyExact(value, factor);
        } catch (ArithmeticException e) {
          throw new CodecException("da00: frame_time value " + value + " overflows in ns");
        }
      }
    };
  }

  private Da00Type numeric(int variable, String name) throws CodecException {
    int code = view.uint8(variable, Da00Slots.DATA_TYPE, name + " data_type");
    Da00Type type = Da00Type.ofCode(code);
    if (type == null || !type.isNumeric()) {
      throw new CodecException(
          "da00: "
              + name
              + " must be numeric, its data_type is "
              + (type == null ? Integer.toString(code) : type.wireName()));
    }
    return type;
  }

  /** Position of the variable's first element, after checking it holds {@code elements}. */
  private int data(int variable, Da00Type type, long elements, String name) throws CodecException {
    int vector = view.vector(variable, Da00Slots.VARIABLE_DATA, 1, name + " data");
    long bytes = Integer.toUnsignedLong(view.length(vector));
    if (vector < 0 || bytes != elements * type.size()) {
      throw new CodecException(
          "da00: "
              + name
              + " holds "
              + bytes
              + " bytes, its shape needs "
              + elements * type.size());
    }
    return vector + 4;
  }

  /** The source name, the previous String when its bytes are the same. */
  private String source(int root) throws CodecException {
    int vector = view.vector(root, Da00Slots.SOURCE_NAME, 1, "source_name");
    if (vector < 0) {
      throw view.missing("source_name");
    }
    if (view.textEquals(vector, lastSourceBytes)) {
      return lastSource;
    }
    byte[] copy = new byte[view.length(vector)];
    view.buffer().get(vector + 4, copy);
    lastSourceBytes = copy;
    lastSource = new String(copy, StandardCharsets.UTF_8);
    return lastSource;
  }
}

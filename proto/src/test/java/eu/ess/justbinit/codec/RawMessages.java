package eu.ess.justbinit.codec;

import com.google.flatbuffers.FlatBufferBuilder;

/** Hand-built messages that our encoders would never write: missing or empty required fields. */
final class RawMessages {
  private RawMessages() {}

  /** An ev44 with source, tof and pixel ids, but reference_time as given (null: absent). */
  static byte[] ev44(String source, long[] referenceTime, int[] referenceTimeIndex) {
    FlatBufferBuilder builder = new FlatBufferBuilder(128);
    int sourceOffset = source == null ? 0 : builder.createString(source);
    int times = referenceTime == null ? 0 : longs(builder, referenceTime);
    int indexes = referenceTimeIndex == null ? 0 : ints(builder, referenceTimeIndex);
    int tof = ints(builder, new int[] {1});
    builder.startTable(6);
    if (sourceOffset != 0) {
      builder.addOffset(0, sourceOffset, 0);
    }
    builder.addLong(1, 7, 0);
    if (times != 0) {
      builder.addOffset(2, times, 0);
    }
    if (indexes != 0) {
      builder.addOffset(3, indexes, 0);
    }
    builder.addOffset(4, tof, 0);
    builder.finish(builder.endTable(), "ev44");
    return builder.sizedByteArray();
  }

  static byte[] ev44WithoutReferenceTimes() {
    return ev44("s", new long[0], new int[0]);
  }

  static int ints(FlatBufferBuilder builder, int[] values) {
    builder.startVector(4, values.length, 4);
    for (int i = values.length - 1; i >= 0; i--) {
      builder.addInt(values[i]);
    }
    return builder.endVector();
  }

  static int longs(FlatBufferBuilder builder, long[] values) {
    builder.startVector(8, values.length, 8);
    for (int i = values.length - 1; i >= 0; i--) {
      builder.addLong(values[i]);
    }
    return builder.endVector();
  }
}

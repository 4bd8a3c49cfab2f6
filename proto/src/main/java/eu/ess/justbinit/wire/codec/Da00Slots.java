package eu.ess.justbinit.wire.codec;

import java.nio.charset.StandardCharsets;

/**
 * The field slots of da00's two tables and the file identifier, shared by its reader and writers.
 */
final class Da00Slots {
  static final String IDENTIFIER = "da00";
  static final int ID = FlatBufferView.id(IDENTIFIER);

  // da00_DataArray
  static final int SOURCE_NAME = 0;
  static final int TIMESTAMP = 1;
  static final int DATA = 2;
  static final int ARRAY_FIELDS = 3;

  // da00_Variable
  static final int NAME = 0;
  static final int UNIT = 1;
  static final int LABEL = 2;
  static final int SOURCE = 3;
  static final int DATA_TYPE = 4;
  static final int AXES = 5;
  static final int SHAPE = 6;
  static final int VARIABLE_DATA = 7;
  static final int VARIABLE_FIELDS = 8;

  static final byte[] SIGNAL = ascii("signal");
  static final byte[] FRAME_TIME = ascii("frame_time");

  private Da00Slots() {}

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}

package eu.ess.justbinit.wire.codec;

/**
 * The values of one histogram array union member, kept exact: integer members as {@code long[]}
 * (uint32 zero-extended; uint64 as its bit pattern), floating-point members as {@code double[]}
 * (float32 widened, which is exact). The arrays are owned by this object, not copied on access.
 */
public final class NumericArray {
  private final String elementType;
  private final long[] integers;
  private final double[] floats;

  private NumericArray(String elementType, long[] integers, double[] floats) {
    this.elementType = elementType;
    this.integers = integers;
    this.floats = floats;
  }

  static NumericArray ofIntegers(String elementType, long[] values) {
    return new NumericArray(elementType, values, null);
  }

  static NumericArray ofFloats(String elementType, double[] values) {
    return new NumericArray(elementType, null, values);
  }

  /**
   * The element type's name: "int32", "int64", "uint32", "uint64", "float32", "float64"; da00 also
   * "int8", "uint8", "int16", "uint16".
   */
  public String elementType() {
    return elementType;
  }

  public boolean isInteger() {
    return integers != null;
  }

  public int length() {
    return integers != null ? integers.length : floats.length;
  }

  /** The integer values; only for {@link #isInteger()} arrays. */
  public long[] integers() {
    if (integers == null) {
      throw new IllegalStateException(elementType + " array has no integer values");
    }
    return integers;
  }

  /** The floating-point values; only for arrays that are not {@link #isInteger()}. */
  public double[] floats() {
    if (floats == null) {
      throw new IllegalStateException(elementType + " array has no floating-point values");
    }
    return floats;
  }

  /** Every value as a double (integers above 2^53 lose precision). */
  public double[] toDoubles() {
    if (floats != null) {
      return floats.clone();
    }
    double[] values = new double[integers.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = integers[i];
    }
    return values;
  }
}

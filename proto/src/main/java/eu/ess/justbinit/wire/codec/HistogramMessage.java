package eu.ess.justbinit.wire.codec;

import java.util.List;

/**
 * A decoded hs00, hs01 or da00 histogram. Record-like, but a class: its arrays are the decoder's
 * fresh copies, owned by this object and returned without copying, which a record with array
 * components would hide behind identity equality.
 */
public final class HistogramMessage {
  private final String schema;
  private final String source;
  private final long timestampNs;
  private final int[] shape;
  private final List<Dimension> dimensions;
  private final NumericArray data;
  private final NumericArray errors;
  private final String info;

  HistogramMessage(
      String schema,
      String source,
      long timestampNs,
      int[] shape,
      List<Dimension> dimensions,
      NumericArray data,
      NumericArray errors,
      String info) {
    this.schema = schema;
    this.source = source;
    this.timestampNs = timestampNs;
    this.shape = shape;
    this.dimensions = List.copyOf(dimensions);
    this.data = data;
    this.errors = errors;
    this.info = info;
  }

  /** "hs00", "hs01" or "da00". */
  public String schema() {
    return schema;
  }

  /** The source name, "" when absent. */
  public String source() {
    return source;
  }

  /** ns since epoch (hs00's unsigned value as its bit pattern). */
  public long timestampNs() {
    return timestampNs;
  }

  /** current_shape: the bins per dimension of {@link #data()}. */
  public int[] shape() {
    return shape;
  }

  /** dim_metadata, one per dimension; empty when absent. */
  public List<Dimension> dimensions() {
    return dimensions;
  }

  /** The row-major values. */
  public NumericArray data() {
    return data;
  }

  /** The errors array, or null when absent. */
  public NumericArray errors() {
    return errors;
  }

  /** The info string, "" when absent. */
  public String info() {
    return info;
  }

  /** One dim_metadata entry. */
  public static final class Dimension {
    private final int length;
    private final double[] boundaries;
    private final String unit;
    private final String label;

    Dimension(int length, double[] boundaries, String unit, String label) {
      this.length = length;
      this.boundaries = boundaries;
      this.unit = unit;
      this.label = label;
    }

    /** Bins along this dimension (hs00's unsigned value as its bit pattern). */
    public int length() {
      return length;
    }

    /** The bin boundaries as doubles, whatever array member carried them; empty when absent. */
    public double[] boundaries() {
      return boundaries;
    }

    /** The unit, "" when absent. */
    public String unit() {
      return unit;
    }

    /** The label, "" when absent; a da00 histogram's axis name. */
    public String label() {
      return label;
    }
  }
}

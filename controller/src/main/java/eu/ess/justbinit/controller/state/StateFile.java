package eu.ess.justbinit.controller.state;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.SavedHistogram;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * One histogram's file: a {@link SavedHistogram} whose last field is the CRC-32C of the bytes
 * before it. Written whole to a temporary file, forced to the disk and renamed over the old one, so
 * that a reader finds the old file or the new one, never a mix. Stateless; any thread.
 */
public final class StateFile {
  /** The tag of field 15, fixed32: the first of the last five bytes of every file. */
  private static final byte CRC_TAG = (byte) ((SavedHistogram.CRC32C_FIELD_NUMBER << 3) | 5);

  private static final int CRC_FIELD_BYTES = 5;
  private static final int BUFFER_BYTES = 1 << 16;

  /** Where a file is written before it replaces the old one. */
  static final String PARTIAL_SUFFIX = ".partial";

  private StateFile() {}

  /**
   * Writes {@code spec}, {@code slot} and {@code checkpoint} to {@code file}, atomically and
   * durably.
   *
   * @return the bytes written
   */
  public static long write(Path file, HistogramSpec spec, int slot, Optional<Checkpoint> checkpoint)
      throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + PARTIAL_SUFFIX);
    long bytes;
    try (FileChannel channel =
        FileChannel.open(
            partial,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel));
      CRC32C crc = new CRC32C();
      // Streamed: a checkpoint of 100 million bins is never copied into one array.
      CodedOutputStream body =
          CodedOutputStream.newInstance(new CheckedOutputStream(buffered, crc), BUFFER_BYTES);
      body.writeMessage(SavedHistogram.SPEC_FIELD_NUMBER, spec);
      body.writeInt32(SavedHistogram.SLOT_FIELD_NUMBER, slot);
      if (checkpoint.isPresent()) {
        body.writeMessage(SavedHistogram.CHECKPOINT_FIELD_NUMBER, checkpoint.get());
      }
      body.flush();
      bytes = (long) body.getTotalBytesWritten() + CRC_FIELD_BYTES;
      CodedOutputStream tail = CodedOutputStream.newInstance(buffered, CRC_FIELD_BYTES);
      tail.writeFixed32(SavedHistogram.CRC32C_FIELD_NUMBER, (int) crc.getValue());
      tail.flush();
      buffered.flush();
      channel.force(true);
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(file.getParent());
    return bytes;
  }

  /** Makes the rename durable: until the directory is on the disk, a crash may undo it. */
  static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some file systems cannot open a directory for this; the rename is then as durable as
      // they make it.
      if (!Files.isDirectory(directory)) {
        throw e instanceof IOException io ? io : new IOException(e);
      }
    }
  }

  /** The file's content, or why it is not a complete file of ours. */
  static SavedHistogram read(Path file) throws IOException, CorruptStateException {
    byte[] bytes = Files.readAllBytes(file);
    int body = bytes.length - CRC_FIELD_BYTES;
    if (body < 0 || bytes[body] != CRC_TAG) {
      throw new CorruptStateException(
          "no checksum at its end (" + bytes.length + " bytes): cut short or not ours");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, body);
    int stored = ByteBuffer.wrap(bytes, body + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (stored != (int) crc.getValue()) {
      throw new CorruptStateException(
          "checksum mismatch (" + bytes.length + " bytes): the file is damaged");
    }
    SavedHistogram saved;
    try {
      saved = SavedHistogram.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptStateException("not a saved histogram: " + e.getMessage());
    }
    if (!saved.hasSpec()) {
      throw new CorruptStateException("it holds no histogram spec");
    }
    return saved;
  }

  /** A file that is there but cannot be used. */
  static final class CorruptStateException extends Exception {
    CorruptStateException(String message) {
      super(message, null, false, false);
    }
  }
}

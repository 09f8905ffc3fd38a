package io.namidb.engine.sst;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Parquet {@link InputFile}/{@link OutputFile} without any Hadoop filesystem: files are built in
 * memory and read through a {@link RangeSource} (ranged GETs behind a cache).
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /** An output file collecting the bytes in memory. */
  static final class InMemoryOutputFile implements OutputFile {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);

    byte[] toByteArray() {
      return bytes.toByteArray();
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      bytes.reset();
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return bytes.size();
        }

        @Override
        public void write(int b) {
          bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes.write(b, off, len);
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }

    @Override
    public String getPath() {
      return "memory";
    }
  }

  /** An input file reading through a {@link RangeSource}, in chunks of at least 64 KiB. */
  static final class RangeInputFile implements InputFile {
    private static final int MIN_CHUNK = 64 * 1024;
    private final RangeSource source;

    RangeInputFile(RangeSource source) {
      this.source = source;
    }

    @Override
    public long getLength() {
      return source.size();
    }

    @Override
    public SeekableInputStream newStream() {
      return new SeekableInputStream() {
        private long pos;
        private byte[] chunk = new byte[0];
        private long chunkStart;

        private int available(long at) {
          long off = at - chunkStart;
          return off >= 0 && off < chunk.length ? (int) (chunk.length - off) : 0;
        }

        private void load(long at, int wanted) throws IOException {
          long size = source.size();
          if (at >= size) {
            throw new EOFException("read past end: pos=" + at + " size=" + size);
          }
          int length = (int) Math.min(size - at, Math.max(wanted, MIN_CHUNK));
          chunk = source.read(at, length);
          chunkStart = at;
        }

        @Override
        public long getPos() {
          return pos;
        }

        @Override
        public void seek(long newPos) {
          pos = newPos;
        }

        @Override
        public int read() throws IOException {
          if (pos >= source.size()) {
            return -1;
          }
          if (available(pos) == 0) {
            load(pos, 1);
          }
          return chunk[(int) (pos++ - chunkStart)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (len == 0) {
            return 0;
          }
          if (pos >= source.size()) {
            return -1;
          }
          int n = (int) Math.min(len, source.size() - pos);
          readFully(b, off, n);
          return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
          readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
          int done = 0;
          while (done < len) {
            int avail = available(pos);
            if (avail == 0) {
              load(pos, len - done);
              avail = available(pos);
            }
            int n = Math.min(avail, len - done);
            System.arraycopy(chunk, (int) (pos - chunkStart), bytes, start + done, n);
            pos += n;
            done += n;
          }
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
          int len = buf.remaining();
          if (len == 0) {
            return 0;
          }
          if (pos >= source.size()) {
            return -1;
          }
          int n = (int) Math.min(len, source.size() - pos);
          byte[] tmp = new byte[n];
          readFully(tmp, 0, n);
          buf.put(tmp);
          return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
          byte[] tmp = new byte[buf.remaining()];
          readFully(tmp, 0, tmp.length);
          buf.put(tmp);
        }
      };
    }

    @Override
    public String toString() {
      return "range-input-file";
    }
  }
}

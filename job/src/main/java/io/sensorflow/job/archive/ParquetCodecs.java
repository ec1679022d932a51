package io.sensorflow.job.archive;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet page compression without Hadoop: parquet-hadoop's own codec factory builds a Hadoop
 * {@code Configuration} for every codec but UNCOMPRESSED, which would put Hadoop (tens of MB, and
 * conflicts) into the job jar. aircompressor, which parquet-hadoop already brings, has pure-Java
 * ZSTD and Snappy that write the frames Parquet readers expect.
 */
public final class ParquetCodecs implements CompressionCodecFactory {

    /** The codecs the archive can write. */
    public enum Codec {
        ZSTD(CompressionCodecName.ZSTD),
        SNAPPY(CompressionCodecName.SNAPPY),
        NONE(CompressionCodecName.UNCOMPRESSED);

        public final CompressionCodecName parquetName;

        Codec(CompressionCodecName parquetName) {
            this.parquetName = parquetName;
        }

        public static Codec parse(String value) {
            for (Codec c : values()) {
                if (c.name().equalsIgnoreCase(value)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("must be zstd, snappy or none, not '" + value + "'");
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName name) {
        return switch (name) {
            case ZSTD -> new Compressing(name, new ZstdCompressor());
            case SNAPPY -> new Compressing(name, new SnappyCompressor());
            case UNCOMPRESSED -> new Compressing(name, null);
            default -> throw new IllegalArgumentException("the archive does not write Parquet codec " + name);
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName name) {
        return switch (name) {
            case ZSTD -> new Decompressing(new ZstdDecompressor());
            case SNAPPY -> new Decompressing(new SnappyDecompressor());
            case UNCOMPRESSED -> new Decompressing(null);
            default -> throw new IllegalArgumentException("the archive does not read Parquet codec " + name);
        };
    }

    @Override
    public void release() {}

    private static final class Compressing implements BytesInputCompressor {
        private final CompressionCodecName name;
        private final Compressor compressor;
        private byte[] buffer = new byte[0];

        Compressing(CompressionCodecName name, Compressor compressor) {
            this.name = name;
            this.compressor = compressor;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            if (compressor == null) {
                return bytes;
            }
            byte[] in = bytes.toByteArray();
            int max = compressor.maxCompressedLength(in.length);
            if (buffer.length < max) {
                buffer = new byte[max];
            }
            int n = compressor.compress(in, 0, in.length, buffer, 0, buffer.length);
            // The page writer copies what it is given before the next page is compressed.
            return BytesInput.from(buffer, 0, n);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return name;
        }

        @Override
        public void release() {}
    }

    private static final class Decompressing implements BytesInputDecompressor {
        private final Decompressor decompressor;

        Decompressing(Decompressor decompressor) {
            this.decompressor = decompressor;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            if (decompressor == null) {
                return bytes;
            }
            byte[] in = bytes.toByteArray();
            byte[] out = new byte[uncompressedSize];
            int n = decompressor.decompress(in, 0, in.length, out, 0, out.length);
            if (n != uncompressedSize) {
                throw new IOException("Parquet page: " + n + " bytes after decompression, the header says " + uncompressedSize);
            }
            return BytesInput.from(out);
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            BytesInput out = decompress(BytesInput.from(in), uncompressedSize);
            output.put(out.toByteArray());
        }

        @Override
        public void release() {}
    }
}

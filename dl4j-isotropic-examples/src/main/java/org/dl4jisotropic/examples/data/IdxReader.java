package org.dl4jisotropic.examples.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads unsigned-byte IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed.
 *
 * <p>Layout: a magic number {@code 0x0000 08 rank} (type 0x08 = unsigned byte), {@code rank} big-endian int
 * dimensions, then the data in row-major order. Images are rank 3 ({@code [n, rows, cols]}), labels rank 1.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;
    /** Largest array read (a Java array's limit, less headroom). */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8L;

    private IdxReader() {
    }

    /**
     * Reads an IDX file of unsigned bytes.
     *
     * @param file  the file; names ending in {@code .gz} are decompressed
     * @param limit read at most this many items along the first dimension; &gt;= 1
     * @return the dimensions (first one clipped to {@code limit}) and the values 0..255
     * @throws IOException if the file cannot be read, is not an unsigned-byte IDX file, or is truncated
     */
    public static IdxArray read(Path file, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, found " + limit);
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream buffered = new BufferedInputStream(file.toString().endsWith(".gz")
                     ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16);
             DataInputStream in = new DataInputStream(buffered)) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new IOException(file + " is not an IDX file: it ends before its 4-byte magic number", e);
            }
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UNSIGNED_BYTE || (magic & 0xFF) < 1) {
                throw new IOException(file + " is not an unsigned-byte IDX file: magic number must be 0x000008xx, "
                        + "found 0x" + Integer.toHexString(magic));
            }
            int rank = magic & 0xFF;
            int[] dims = new int[rank];
            long itemSize = 1;
            for (int i = 0; i < rank; i++) {
                try {
                    dims[i] = in.readInt();
                } catch (EOFException e) {
                    throw new IOException(file + " is truncated: its header ends before dimension " + i + " of " + rank,
                            e);
                }
                if (dims[i] < 0) {
                    throw new IOException(file + ": dimension " + i + " must be >= 0, found " + dims[i]);
                }
                if (i > 0) {
                    itemSize *= dims[i];
                }
            }
            dims[0] = Math.min(dims[0], limit);
            long bytes = itemSize * dims[0];
            // A corrupt header must fail here, not as an overflow or a huge allocation.
            if (itemSize > Integer.MAX_VALUE || bytes > MAX_BYTES) {
                throw new IOException(file + ": " + dims[0] + " items of " + itemSize + " values exceed the "
                        + MAX_BYTES + " bytes this reader holds in memory (corrupt header?)");
            }
            if (!file.toString().endsWith(".gz") && bytes > Files.size(file) - 4L * (rank + 1)) {
                throw new IOException(file + " is truncated: its header promises " + bytes + " data bytes, the file "
                        + "holds " + (Files.size(file) - 4L * (rank + 1)));
            }
            byte[] data = new byte[(int) bytes];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new IOException(file + " is truncated: expected " + data.length + " data bytes", e);
            }
            return new IdxArray(dims, data);
        }
    }

    /**
     * An IDX array of unsigned bytes.
     *
     * @param dimensions the shape; the first entry counts items
     * @param data       the values in row-major order, as signed bytes (read with {@code & 0xFF})
     */
    public record IdxArray(int[] dimensions, byte[] data) {

        /** Number of items (the first dimension). */
        public int items() {
            return dimensions[0];
        }

        /** Values per item (the product of the other dimensions). */
        public int itemSize() {
            return items() == 0 ? 0 : data.length / items();
        }

        /** The unsigned value at a flat index. */
        public int value(int index) {
            return data[index] & 0xFF;
        }
    }
}

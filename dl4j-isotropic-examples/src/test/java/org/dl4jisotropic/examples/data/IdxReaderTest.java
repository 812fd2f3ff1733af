package org.dl4jisotropic.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsDimensionsAndUnsignedValuesOfAPlainFile() throws IOException {
        byte[] data = {0, 1, (byte) 200, (byte) 255, 7, 8};
        Path file = Files.write(dir.resolve("images"), idx(0x0803, new int[] {3, 1, 2}, data));

        IdxReader.IdxArray array = IdxReader.read(file, 100);

        assertArrayEquals(new int[] {3, 1, 2}, array.dimensions());
        assertEquals(2, array.itemSize());
        assertEquals(200, array.value(2));
        assertEquals(255, array.value(3));
    }

    @Test
    void readsGzipCompressedFilesAndHonoursTheLimit() throws IOException {
        byte[] data = {1, 2, 3, 4, 5};
        Path file = dir.resolve("labels.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(idx(0x0801, new int[] {5}, data));
        }

        IdxReader.IdxArray array = IdxReader.read(file, 3);

        assertEquals(3, array.items());
        assertArrayEquals(new byte[] {1, 2, 3}, array.data());
    }

    @Test
    void aWrongMagicNumberIsRejectedWithTheNumberFound() throws IOException {
        Path file = Files.write(dir.resolve("bad"), idx(0x0D03, new int[] {1, 1, 1}, new byte[4]));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(file, 10));
        assertTrue(e.getMessage().contains("0xd03"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsRejected() throws IOException {
        byte[] full = idx(0x0803, new int[] {2, 2, 2}, new byte[8]);
        Path file = Files.write(dir.resolve("short"), Arrays.copyOf(full, full.length - 3));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(file, 10));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}

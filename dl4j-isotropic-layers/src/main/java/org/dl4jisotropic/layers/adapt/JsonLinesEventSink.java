package org.dl4jisotropic.layers.adapt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Appends each event as one JSON object per line ({@link AdaptationEvent#toMap()}) to a file, creating it if needed.
 * Each line is written and flushed when the event arrives, so the file survives a crash mid-training.
 */
public final class JsonLinesEventSink implements AdaptationEventSink {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;

    /**
     * Appends to a file.
     *
     * @param file the JSON-lines file; its parent folder must exist
     */
    public JsonLinesEventSink(Path file) {
        this.file = file;
    }

    /** The file written to. */
    public Path file() {
        return file;
    }

    /** @throws UncheckedIOException if the line cannot be written */
    @Override
    public void accept(AdaptationEvent event) {
        try {
            String line = MAPPER.writeValueAsString(event.toMap()) + System.lineSeparator();
            Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize adaptation event " + event, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append adaptation event to " + file, e);
        }
    }
}

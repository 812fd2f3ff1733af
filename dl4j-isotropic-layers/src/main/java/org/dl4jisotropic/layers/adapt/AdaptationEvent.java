package org.dl4jisotropic.layers.adapt;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

import org.dl4jisotropic.core.surgery.SurgeryOperation;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonUnwrapped;
import org.nd4j.shade.jackson.core.JsonGenerator;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.Module;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializerProvider;
import org.nd4j.shade.jackson.databind.annotation.JsonSerialize;
import org.nd4j.shade.jackson.databind.module.SimpleModule;
import org.nd4j.shade.jackson.databind.ser.std.StdSerializer;

/**
 * What one adaptation round did to one hidden layer during training.
 *
 * <p>As JSON (with {@link #jsonModule()}, ND4J's shaded Jackson) the event is one flat object: its own components
 * and the {@link SurgeryReport}'s, unwrapped, with {@code wallSeconds} as {@code seconds}, the operation as
 * {@code op} in lower case and absent optional values as null. No field is listed by hand, so a component added to
 * either record appears in {@code events.jsonl} and {@code report.json} without further code.
 *
 * @param epoch       zero-based epoch in which the round ran
 * @param iteration   network iteration count when the round ran
 * @param report      the surgery on this layer: operation (GROW, SHRINK, or DIAGONALIZE_LEFT when the width stayed),
 *                    count, removed singular values, error bound, measured max logit change on the probe batch
 * @param widths      widths of every hidden layer after the round
 * @param wallSeconds wall time of the whole round
 */
public record AdaptationEvent(int epoch, int iteration, @JsonUnwrapped SurgeryReport report, List<Long> widths,
                              @JsonProperty("seconds") double wallSeconds) {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(jsonModule());

    /** Copies the list. */
    public AdaptationEvent {
        widths = List.copyOf(widths);
    }

    /** The hidden layer. */
    public int layer() {
        return report.layer();
    }

    /** What was done. */
    public SurgeryOperation operation() {
        return report.operation();
    }

    /**
     * The event as a flat map with the keys used in {@code events.jsonl} and {@code report.json}: epoch, iteration,
     * layer, op, count, widthBefore, widthAfter, removedSingularValues, errorBound, maxOutputChange, widths,
     * seconds. Absent values are JSON null.
     */
    public Map<String, Object> toMap() {
        return MAPPER.convertValue(this, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    /**
     * The Jackson configuration of events (and of the surgery reports inside them): register it on any
     * {@code org.nd4j.shade.jackson} mapper that writes events, e.g. inside a larger report.
     */
    public static Module jsonModule() {
        SimpleModule module = new SimpleModule("AdaptationEvent");
        module.addSerializer(OptionalDouble.class, new OptionalDoubleSerializer());
        module.setMixInAnnotation(SurgeryReport.class, SurgeryReportJson.class);
        return module;
    }

    /** The report's operation as {@code op}, in lower case. */
    private abstract static class SurgeryReportJson {
        @JsonProperty("op")
        @JsonSerialize(using = LowerCaseEnumSerializer.class)
        abstract SurgeryOperation operation();
    }

    /** An enum constant's name in lower case. */
    private static final class LowerCaseEnumSerializer extends StdSerializer<Enum<?>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        LowerCaseEnumSerializer() {
            super((Class) Enum.class);
        }

        @Override
        public void serialize(Enum<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.name().toLowerCase(Locale.ROOT));
        }
    }

    /** A present value as a number, an absent one as null (ND4J's Jackson has no JDK 8 module). */
    private static final class OptionalDoubleSerializer extends StdSerializer<OptionalDouble> {
        OptionalDoubleSerializer() {
            super(OptionalDouble.class);
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, OptionalDouble value) {
            return value == null || value.isEmpty();
        }

        @Override
        public void serialize(OptionalDouble value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            if (value.isPresent()) {
                gen.writeNumber(value.getAsDouble());
            } else {
                gen.writeNull();
            }
        }
    }
}

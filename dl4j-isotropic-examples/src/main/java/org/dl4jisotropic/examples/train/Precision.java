package org.dl4jisotropic.examples.train;

import org.nd4j.linalg.api.buffer.DataType;

/** The floating-point types a network can be trained in ({@code --dtype}); ND4J's {@link DataType} has many more. */
public enum Precision {
    /** 32-bit. */
    FLOAT(DataType.FLOAT),
    /** 64-bit. */
    DOUBLE(DataType.DOUBLE);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** The ND4J data type. */
    public DataType dataType() {
        return dataType;
    }

    /** The option value, {@code float} or {@code double}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

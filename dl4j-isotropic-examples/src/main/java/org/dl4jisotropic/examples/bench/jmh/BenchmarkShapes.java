package org.dl4jisotropic.examples.bench.jmh;

import org.nd4j.linalg.api.buffer.DataType;

/** Parses the string parameters the JMH benchmarks share. */
final class BenchmarkShapes {

    private BenchmarkShapes() {
    }

    static DataType dtype(String name) {
        switch (name) {
            case "float":
                return DataType.FLOAT;
            case "double":
                return DataType.DOUBLE;
            default:
                throw new IllegalArgumentException("dtype must be float or double, found " + name);
        }
    }
}

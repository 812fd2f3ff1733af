package org.dl4jisotropic.layers.init;

import java.util.Arrays;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random (semi-)orthogonal weight initialization: every singular value of the weight matrix is exactly 1.
 *
 * <p>For a {@code [nIn, nOut]} matrix the columns are orthonormal when {@code nIn >= nOut}, the rows otherwise. A
 * convolution's filter bank {@code [nOut, nIn, kH, kW]} (any rank above 2, out axis first, as DL4J's convolution
 * layers pass it) is made orthogonal as the matrix {@code [nOut, nIn*kH*kW]}, one row per filter: the
 * matricization that channel surgery takes the SVD of, and the one PyTorch's {@code orthogonal_} uses. The
 * matrix is the Q factor of a Gaussian matrix drawn from ND4J's random generator (which DL4J seeds from the network
 * seed), with column signs fixed by the diagonal of R so that Q is Haar-distributed. This is the paper's
 * initialization; it puts every neuron exactly at the scaffold threshold's upper end (singular value 1).
 *
 * @implNote The QR factorization runs on the JVM (commons-math3) on a host copy: it happens once per layer at
 *     initialization, so it costs nothing during training and behaves the same on every backend.
 */
public final class OrthogonalInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    /** Creates the initializer; it has no settings. */
    public OrthogonalInit() {
        // no settings: equality is by class
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("OrthogonalInit needs a 2-d weight shape [nIn, nOut] or a filter bank "
                    + "[nOut, nIn, kH, kW], found " + Arrays.toString(shape));
        }
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(Arrays.stream(shape, 1, shape.length).reduce(1L, Math::multiplyExact));
        boolean tall = rows >= cols;
        int m = tall ? rows : cols;
        int n = tall ? cols : rows;
        double[][] gaussian = Nd4j.randn(DataType.DOUBLE, m, n).toDoubleMatrix();
        QRDecomposition qr = new QRDecomposition(new Array2DRowRealMatrix(gaussian, false));
        RealMatrix q = qr.getQ().getSubMatrix(0, m - 1, 0, n - 1);
        RealMatrix r = qr.getR();
        for (int j = 0; j < n; j++) {
            if (r.getEntry(j, j) < 0) {
                q.setColumnVector(j, q.getColumnVector(j).mapMultiply(-1.0));
            }
        }
        INDArray weights = Nd4j.create(q.getData());
        if (!tall) {
            weights = weights.transpose();
        }
        // DL4J's stock layers pass the flat segment and use the returned array as the parameter: return the view
        // in the requested shape and order, as DL4J's own initializers do.
        INDArray view = paramView.reshape(order, shape);
        // In either order the first axis is the matrix's row index, so row o becomes filter o (its other axes a
        // permutation of the row's entries, which keeps the rows orthonormal).
        view.assign(weights.reshape(order, shape).castTo(view.dataType()));
        return view;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrthogonalInit;
    }

    @Override
    public int hashCode() {
        return OrthogonalInit.class.hashCode();
    }

    @Override
    public String toString() {
        return "OrthogonalInit()";
    }
}

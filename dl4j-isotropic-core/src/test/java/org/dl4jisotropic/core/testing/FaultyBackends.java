package org.dl4jisotropic.core.testing;

import org.dl4jisotropic.core.linalg.LapackSvd;
import org.dl4jisotropic.core.linalg.SvdBackend;
import org.dl4jisotropic.core.linalg.SvdResult;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Native SVD backends that fail the way OpenBLAS 0.3.19's LAPACK fails on AVX-512 CPUs, so the guard against it is
 * tested on every machine rather than only on the ones that have the fault. Each wraps the real native backend, and
 * its {@code name()} (the enum constant's) serves as the backend's name.
 */
public enum FaultyBackends implements SvdBackend {

    /** U is no longer orthogonal: its first column picks up half of its second (max|U^T U - I| about 0.5). */
    NON_ORTHOGONAL_U {
        @Override
        SvdResult corrupt(SvdResult svd) {
            INDArray u = svd.u();
            u.getColumn(0).addi(u.getColumn(1).mul(0.5));
            return svd;
        }
    },
    /** Orthogonal factors but singular values 10% too large: only the reconstruction check can see it. */
    WRONG_SINGULAR_VALUES {
        @Override
        SvdResult corrupt(SvdResult svd) {
            svd.singularValues().muli(1.1);
            return svd;
        }
    },
    /** The native call fails outright. */
    THROWS {
        @Override
        SvdResult corrupt(SvdResult svd) {
            throw new IllegalStateException("injected native failure");
        }
    };

    abstract SvdResult corrupt(SvdResult svd);

    @Override
    public SvdResult decompose(INDArray work, boolean fullV) {
        return corrupt(LapackSvd.INSTANCE.decompose(work, fullV));
    }
}

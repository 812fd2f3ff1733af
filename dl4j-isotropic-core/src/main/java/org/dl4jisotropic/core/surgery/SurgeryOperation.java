package org.dl4jisotropic.core.surgery;

/** The kinds of network surgery. */
public enum SurgeryOperation {
    /** A change of basis by a given orthogonal matrix. */
    ROTATE,
    /** Left-partial diagonalization: rows of W_l orthogonal, sorted by singular value. */
    DIAGONALIZE_LEFT,
    /** Full diagonalization: W_l rectangular-diagonal, layer l-1 rotated too. */
    DIAGONALIZE_FULL,
    /** Neurogenesis: inert scaffold neurons appended. */
    GROW,
    /** Neurodegeneration: the smallest-singular-value neurons removed. */
    SHRINK
}

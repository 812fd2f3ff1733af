package org.dl4jisotropic.core.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees the native memory of scratch arrays as soon as they are no longer needed.
 *
 * <p>ND4J frees an array's native buffer only when the garbage collector collects its small Java object. Surgery
 * makes large temporaries (a width-1024 layer's rotation alone is 4 MB in float, 8 MB in double) and little Java
 * garbage, so without this the collector can let hundreds of megabytes of dead native buffers pile up between
 * collections. Only arrays created by the caller for its own use may be released; views, workspace arrays and
 * arrays that are already released are skipped.
 */
public final class Scratch {

    private Scratch() {
    }

    /**
     * Releases each array that owns its buffer. Nulls are ignored.
     *
     * @param arrays scratch arrays that nothing will read again
     */
    public static void release(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && !array.wasClosed() && array.closeable()) {
                array.close();
            }
        }
    }
}

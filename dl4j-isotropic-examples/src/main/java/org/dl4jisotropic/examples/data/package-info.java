/**
 * Datasets read from local files (never downloaded): Fashion-MNIST IDX files and the IDX reader behind them.
 */
package org.dl4jisotropic.examples.data;

/**
 * The {@code isotropic} command-line tool (picocli): one class per command. Commands parse options and print; the
 * work is done by the training harness, the surgery API and the invariance suite.
 */
package org.dl4jisotropic.examples.cli;

/** Runnable examples: {@link org.dl4jisotropic.examples.QuickStart} compares isotropic and tanh MLPs. */
package org.dl4jisotropic.examples;

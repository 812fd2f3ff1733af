/** Run reports: {@code report.json} ({@link org.dl4jisotropic.examples.report.RunReport}) and PNG plots. */
package org.dl4jisotropic.examples.report;

package org.dl4jisotropic.examples.report;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.Collections;
import java.util.Properties;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The versions a result was produced with, read from the running class path rather than written down: a report
 * then says which DL4J and ND4J actually ran, also after an upgrade or in a shaded jar.
 *
 * @param dl4jIsotropic this library's version ({@code development} when run from classes, not a jar)
 * @param dl4j          the version of the deeplearning4j-nn that holds {@link MultiLayerNetwork}
 * @param nd4j          the version of the nd4j-api that holds {@link Nd4j}
 * @param backend       the ND4J backend class
 * @param java          the Java version
 * @param os            operating system and architecture
 */
public record Provenance(String dl4jIsotropic, String dl4j, String nd4j, String backend, String java, String os) {

    /** What a version is reported as when the class path does not say. */
    public static final String UNKNOWN = "unknown";

    /** The versions of this JVM's class path. */
    public static Provenance current() {
        String library = Provenance.class.getPackage().getImplementationVersion();
        return new Provenance(library == null ? "development" : library,
                artifactVersion(MultiLayerNetwork.class, "org.deeplearning4j", "deeplearning4j-nn"),
                artifactVersion(Nd4j.class, "org.nd4j", "nd4j-api"),
                Nd4j.getBackend().getClass().getSimpleName(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    /**
     * The Maven version of the artifact that holds a class: its jar manifest's Implementation-Version if set, else
     * the {@code pom.properties} Maven writes into every jar (DL4J's manifests carry no version). Only a
     * {@code pom.properties} from the same jar (code source) as the class counts, so that a second copy elsewhere on
     * the class path cannot be reported in its place.
     *
     * @return the version, or {@link #UNKNOWN}
     */
    static String artifactVersion(Class<?> anchor, String groupId, String artifactId) {
        String fromManifest = anchor.getPackage() == null ? null : anchor.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        CodeSource code = anchor.getProtectionDomain().getCodeSource();
        String jar = code == null || code.getLocation() == null ? null : code.getLocation().toString();
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try {
            for (URL url : Collections.list(anchor.getClassLoader().getResources(resource))) {
                if (jar != null && !url.toString().contains(jar)) {
                    continue;
                }
                Properties properties = new Properties();
                try (InputStream in = url.openStream()) {
                    properties.load(in);
                }
                String version = properties.getProperty("version");
                if (version != null) {
                    return version;
                }
            }
        } catch (IOException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }
}

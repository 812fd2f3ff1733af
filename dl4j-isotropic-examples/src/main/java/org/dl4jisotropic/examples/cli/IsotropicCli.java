package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.dl4jisotropic.examples.experiment.ExperimentName;
import org.dl4jisotropic.examples.train.HiddenActivation;
import org.dl4jisotropic.examples.train.ModelKind;
import org.dl4jisotropic.examples.train.Pooling;
import org.dl4jisotropic.examples.train.Precision;
import org.dl4jisotropic.examples.train.Updater;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code isotropic}: the command-line tool. {@code java -jar dl4j-isotropic-examples/target/isotropic.jar <command>}
 * with commands train, resize, diagonalize, sparsify, inspect, verify, bench and experiment; {@code --help} on each.
 *
 * <p>Exit codes: 0 success, 1 a failed check or run, 2 a bad option or input file: one line on stderr naming the
 * option, printed before anything is written (every command validates all of its options and inputs first).
 */
@Command(name = "isotropic", mixinStandardHelpOptions = true, version = "dl4j-isotropic 0.1.0",
        description = "Isotropic networks on DL4J: train (optionally with adaptive width), resize, diagonalize, "
                + "sparsify and inspect saved models, verify the exactness properties on this backend, and run the "
                + "paper's experiments.",
        subcommands = {TrainCommand.class, ResizeCommand.class, DiagonalizeCommand.class, SparsifyCommand.class,
            InspectCommand.class, VerifyCommand.class, BenchCommand.class, ExperimentCommand.class,
            CommandLine.HelpCommand.class})
public final class IsotropicCli implements Runnable {

    /** Exit code of an invalid option or argument. */
    public static final int BAD_OPTION = 2;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /**
     * Runs the tool.
     *
     * @param args command and options
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs a command with the given output streams (for tests and embedding).
     *
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new IsotropicCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        // Enum options accept their option values (adam, isotropic-tanh, ...) in any case and list them in --help.
        commandLine.registerConverter(Updater.class, optionValue(Updater.class));
        commandLine.registerConverter(HiddenActivation.class, optionValue(HiddenActivation.class));
        commandLine.registerConverter(Precision.class, optionValue(Precision.class));
        commandLine.registerConverter(ExperimentName.class, optionValue(ExperimentName.class));
        commandLine.registerConverter(ModelKind.class, optionValue(ModelKind.class));
        commandLine.registerConverter(Pooling.class, optionValue(Pooling.class));
        // A bad option is one line naming it: picocli's default would add the whole usage text.
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("error: " + oneLine(e.getMessage()) + " (see " + cmd.getCommandSpec().qualifiedName()
                    + " --help)");
            return BAD_OPTION;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + oneLine(e.getMessage()));
                return BAD_OPTION;
            }
            cmd.getErr().println("error: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return commandLine.execute(args);
    }

    /**
     * Converts an option value to the enum constant whose {@code toString()} (its option value, e.g.
     * {@code isotropic-tanh}) matches it in any case; the error lists the accepted values.
     */
    static <E extends Enum<E>> CommandLine.ITypeConverter<E> optionValue(Class<E> type) {
        return value -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.toString().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            throw new CommandLine.TypeConversionException("expected one of " + Arrays.stream(type.getEnumConstants())
                    .map(Object::toString).collect(Collectors.joining(", ")) + ", found '" + value + "'");
        };
    }

    /** The message on one line, so that a script or a person reads the whole error at once. */
    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}

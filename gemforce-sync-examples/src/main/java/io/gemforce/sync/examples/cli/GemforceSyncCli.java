package io.gemforce.sync.examples.cli;

import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.NotADiamondException;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code gemforce-sync}: the command line of the SDK. Exit codes: 0 success, 1 failure, 2 bad
 * input, 3 partial (run again to continue).
 */
@Command(name = "gemforce-sync", mixinStandardHelpOptions = true, versionProvider = GemforceSyncCli.Version.class,
        description = "Keeps an off-chain store in step with Gemforce diamonds (EIP-2535).",
        subcommands = {DemoCommand.class, SyncAllCommand.class, SyncDiamondCommand.class, SyncEventsCommand.class, HistoryCommand.class,
            FollowCommand.class, ServeCommand.class, BenchFollowCommand.class,
            BenchCommand.class, BenchSparseCommand.class, BenchParseCommand.class})
public final class GemforceSyncCli implements Runnable {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int BAD_INPUT = 2;
    static final int PARTIAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine cl = commandLine(args);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            if (e instanceof InvalidInputException || e instanceof NotADiamondException) {
                return BAD_INPUT;
            }
            if (e instanceof IllegalArgumentException) {
                return BAD_INPUT;
            }
            return FAILURE;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return BAD_INPUT;
        });
        return cl.execute(args);
    }

    /**
     * The command line for {@code args}. A run that names its subcommand first gets a root with that
     * one only: picocli reflects over every option of every subcommand it is given, a third of a short
     * run's start (0.67 s to 0.39 s for {@code sync-all} with a missing option); the usage, {@code
     * --version} and anything else get the whole command.
     */
    static CommandLine commandLine(String... args) {
        if (args.length > 0) {
            for (Class<?> c : GemforceSyncCli.class.getAnnotation(Command.class).subcommands()) {
                Command sub = c.getAnnotation(Command.class);
                if (sub.name().equals(args[0])) {
                    CommandLine root = new CommandLine(new Root());
                    root.addSubcommand(sub.name(), instance(c));
                    return root;
                }
            }
        }
        return new CommandLine(new GemforceSyncCli());
    }

    /** The root command as {@link GemforceSyncCli} declares it, without its subcommands. */
    @Command(name = "gemforce-sync", mixinStandardHelpOptions = true, versionProvider = GemforceSyncCli.Version.class,
            description = "Keeps an off-chain store in step with Gemforce diamonds (EIP-2535).")
    static final class Root implements Runnable {
        @Override
        public void run() {
            // a run always names its subcommand here
        }
    }

    private static Object instance(Class<?> c) {
        try {
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the " + c.getSimpleName() + " command", e);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The project's version as the build wrote it ({@code version.properties}, filtered by Maven), so
     * {@code --version} prints {@code 0.1.0-SNAPSHOT} for a snapshot and the release's version for a release.
     */
    static String version() {
        try (InputStream in = GemforceSyncCli.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the CLI's class path; build it with Maven");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Picocli's {@code --version}: {@code gemforce-sync <version>}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gemforce-sync " + version()};
        }
    }

    static int exitCode(SyncSummary s) {
        return s.status() == SyncStatus.SUCCESS ? OK : s.status() == SyncStatus.PARTIAL ? PARTIAL : FAILURE;
    }

}

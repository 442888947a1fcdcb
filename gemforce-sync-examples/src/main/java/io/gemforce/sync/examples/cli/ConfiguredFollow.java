package io.gemforce.sync.examples.cli;

import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.examples.service.ConfigLoader;
import io.gemforce.sync.examples.service.ServiceConfig;
import io.gemforce.sync.examples.service.ServiceRunner;
import io.gemforce.sync.follow.FollowStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code follow --config FILE}: every configured network followed into the configured store, one
 * line per change prefixed with its network; SIGINT/SIGTERM stop every follower at a range boundary
 * and exit 0; a network whose follower failed makes the command exit 1 once the others are stopped.
 */
final class ConfiguredFollow {
    private final Path file;
    private final Integer metricsPort;
    private final KnownSignatures names;
    private final picocli.CommandLine.Model.CommandSpec spec;

    ConfiguredFollow(Path file, Integer metricsPort, KnownSignatures names, picocli.CommandLine.Model.CommandSpec spec) {
        this.file = file;
        this.metricsPort = metricsPort;
        this.names = names;
        this.spec = spec;
    }

    int run() throws Exception {
        ServiceConfig cfg = ConfigLoader.load(file); // every error before anything starts
        if (metricsPort != null) {
            cfg = new ServiceConfig(cfg.store(), cfg.networks(), new ServiceConfig.Health(metricsPort,
                    cfg.health().bind(), cfg.health().stuckAfter()), cfg.lease());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch signalled = new CountDownLatch(1);
        for (String name : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> signalled.countDown());
        }
        try (ServiceRunner runner = new ServiceRunner(cfg)) {
            runner.start(names, network -> c -> {
                synchronized (out) {
                    out.println(network + " " + FollowCommand.line(c));
                    out.flush();
                }
            });
            if (runner.healthPort() > 0) {
                err.println("health and metrics at http://" + cfg.health().bind() + ":" + runner.healthPort()
                        + "/health and /metrics");
                err.flush();
            }
            boolean failed = false;
            while (!signalled.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                if (runner.statuses().values().stream().allMatch(v -> v.status() != null
                        && v.status().state() == FollowStatus.State.FAILED)) {
                    failed = true;
                    break;
                }
            }
            runner.statuses().forEach((n, v) -> err.println(n + ": " + (v.status() == null ? "standby"
                    : v.status().state().name().toLowerCase(java.util.Locale.ROOT) + " at block " + v.status().syncedBlock()
                    + (v.status().lastError() == null ? "" : " (" + v.status().lastError() + ")"))));
            runner.stop(Duration.ofSeconds(30));
            err.flush();
            return failed ? GemforceSyncCli.FAILURE : GemforceSyncCli.OK;
        }
    }
}

package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.follow.DiamondChange;
import io.gemforce.sync.follow.FollowMode;
import io.gemforce.sync.follow.FollowOptions;
import io.gemforce.sync.follow.FollowStatus;
import io.gemforce.sync.follow.Follower;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.StateSink;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code follow}: syncs a network up to the head, then follows it, printing one line per committed
 * change until SIGINT or SIGTERM (exit 0) or an error no retry can fix (exit 1).
 */
@Command(name = "follow", description = "Sync a network, then follow its head, printing each committed change.")
final class FollowCommand implements Callable<Integer> {
    @Option(names = "--network", description = "network name, alias or chain id (or --config)")
    String network;

    @Option(names = "--config", paramLabel = "FILE", description = "follow every network of this YAML/JSON file"
            + " (store, networks, health; see docs/operations.md) instead of --network and the store options")
    java.nio.file.Path config;

    @Option(names = "--metrics-port", description = "serve GET /health and GET /metrics on this port (with --config;"
            + " overrides the file's health.port)")
    Integer metricsPort;

    @Option(names = "--mode", defaultValue = "confirmed",
            description = "confirmed (up to head minus --confirmations; reorgs never touch the store) or head"
                    + " (up to the head; reorgs are rolled back) (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--poll-interval", description = "how often the head is read, e.g. 500ms, 2s (default: about the"
            + " network's block time)")
    String pollInterval;

    @Option(names = "--ws-url", description = "ws:// or wss:// URL to hear new heads on (eth_subscribe); polling"
            + " goes on as the fallback")
    String wsUrl;

    @Option(names = "--delivery-cursor", description = "keep how far the printed changes went in the store under this"
            + " name, so a restarted follow prints again what was committed but not printed (at least once)")
    String deliveryCursor;

    @Mixin
    SyncOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (config != null) {
            return new ConfiguredFollow(config, metricsPort, options.signatures(), spec).run();
        }
        if (network == null) {
            throw new IllegalArgumentException("give --network (with --rpc-url and a store) or --config FILE");
        }
        FollowMode m = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "confirmed" -> FollowMode.CONFIRMED;
            case "head" -> FollowMode.HEAD;
            default -> throw new IllegalArgumentException("--mode must be confirmed or head, got " + mode);
        };
        Duration poll = pollInterval == null ? null : parseDuration(pollInterval);
        Networks nets = options.networks(network);
        PrintWriter out = spec.commandLine().getOut();
        FollowOptions.Builder fo = FollowOptions.builder().mode(m).pollInterval(poll).webSocketUrl(wsUrl)
                .deliveryCursor(deliveryCursor)
                .listener(c -> {
                    out.println(line(c));
                    out.flush();
                });
        options.noProgress = true;
        try (Web3jChainSource chain = options.chain()) {
            StateSink sink = options.sink();
            try {
                DiamondSyncer syncer = options.syncer(chain, sink, nets, spec.commandLine().getErr());
                Follower f = syncer.follow(network, fo.build());
                CountDownLatch signalled = new CountDownLatch(1);
                Runnable onSignal = () -> {
                    signalled.countDown();
                    Thread stopper = new Thread(() -> {
                        try {
                            f.stop(Duration.ofSeconds(30));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "gemforce-follow-stop");
                    stopper.start();
                };
                // SIGINT and SIGTERM stop the follower at a range boundary and the command returns 0
                for (String name : List.of("INT", "TERM")) {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> onSignal.run());
                }
                while (!f.awaitTermination(Duration.ofSeconds(1))) {
                    // following
                }
                FollowStatus st = f.status();
                f.stop(Duration.ofSeconds(30));
                if (signalled.getCount() == 0 && st.state() != FollowStatus.State.FAILED) {
                    spec.commandLine().getErr().println("stopped at block " + st.syncedBlock());
                    return GemforceSyncCli.OK;
                }
                spec.commandLine().getErr().println("error: following stopped: " + st.lastError());
                return GemforceSyncCli.FAILURE;
            } finally {
                if (sink instanceof AutoCloseable c) {
                    c.close();
                }
            }
        }
    }

    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: " + s + " (e.g. 500ms, 2s)");
        }
    }

    /** One line per change: block, kind, diamond, what changed, its id. */
    static String line(DiamondChange c) {
        String what;
        if (c instanceof DiamondChange.DiamondCreated d) {
            what = "created " + d.diamond() + " " + d.symbol() + " \"" + d.name() + "\" by " + d.factory();
        } else if (c instanceof DiamondChange.FacetsChanged f) {
            what = "facets  " + f.diamond() + " " + cuts(f.cuts());
        } else if (c instanceof DiamondChange.OwnershipChanged o) {
            what = "owner   " + o.diamond() + " " + o.previousOwner() + " -> " + o.newOwner();
        } else if (c instanceof DiamondChange.UpgradeProposed p) {
            what = "proposed " + p.diamond() + " by " + p.proposer() + ", executable at " + p.executionTime()
                    + (p.proposedCuts().isEmpty() ? "" : " " + cuts(p.proposedCuts()));
        } else if (c instanceof DiamondChange.UpgradeCancelled x) {
            what = "cancelled " + x.diamond() + " by " + x.canceller();
        } else if (c instanceof DiamondChange.UpgradeExecuted e) {
            what = "executed " + e.diamond();
        } else {
            DiamondChange.RolledBack r = (DiamondChange.RolledBack) c;
            what = "rollback from block " + r.fromBlock() + " to " + r.blockNumber();
        }
        return "block " + c.blockNumber() + " " + what + "  [" + c.id() + "]";
    }

    private static String cuts(List<FacetCut> cuts) {
        return cuts.stream().map(k -> k.action().name().toLowerCase(java.util.Locale.ROOT) + " " + k.facetAddress() + " ("
                + k.selectors().size() + " selectors)").collect(Collectors.joining(", "));
    }
}

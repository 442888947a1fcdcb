package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.examples.service.ConfigLoader;
import io.gemforce.sync.examples.service.ServiceConfig;
import io.gemforce.sync.examples.service.ServiceRunner;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.parse.ParseClient;
import io.gemforce.sync.parse.ParseStateSink;
import io.gemforce.sync.parse.Secret;
import io.gemforce.sync.parse.cloud.CloudFunctions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Serves syncAllDiamonds, syncDiamondByAddress and syncDiamondEvents to Parse clients through
 * Parse Server's webhooks, until stopped.
 */
@Command(name = "serve", description = "Serve the sync cloud functions to Parse Server through its webhooks.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--network", description = "the network to configure (--factory, --diamond apply to it); or --config")
    String network;

    @Option(names = "--config", paramLabel = "FILE", description = "serve every network of this YAML/JSON file (its store"
            + " must be parse:); the functions' network parameter picks the chain")
    java.nio.file.Path config;

    @Option(names = "--follow", description = "with --config: also follow every configured network (leases, health)")
    boolean follow;

    @Option(names = "--metrics-port", description = "with --follow: serve /health and /metrics on this port")
    Integer metricsPort;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--port", defaultValue = "0", description = "port to listen on (default: a free one)")
    int port;

    @Option(names = "--public-url", description = "the URL Parse Server reaches this endpoint at, if not the bound one")
    String publicUrl;

    @Option(names = "--role", description = "a role whose users may call the functions without the master key; repeatable")
    List<String> roles = new ArrayList<>();

    @Option(names = "--calls-per-minute", defaultValue = "30", description = "per-caller rate limit (default: ${DEFAULT-VALUE})")
    int callsPerMinute;

    @Option(names = "--sync-budget", defaultValue = "20", description = "seconds a synchronous call may take (default: ${DEFAULT-VALUE})")
    long syncBudget;

    @Mixin
    SyncOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String webhookKey = System.getenv("PARSE_WEBHOOK_KEY");
        if (webhookKey == null || webhookKey.isBlank()) {
            throw new IllegalArgumentException("set $PARSE_WEBHOOK_KEY to Parse Server's webhookKey");
        }
        if (config != null) {
            return serveConfigured(webhookKey);
        }
        if (network == null) {
            throw new IllegalArgumentException("give --network (with --rpc-url and --parse-url/--app-id) or --config FILE");
        }
        Networks networks = options.networks(network);
        var names = options.signatures(); // --abi: Facet.functions of the diamonds the functions sync
        try (Web3jChainSource chain = options.chain(); ParseClient client = options.parseClient()) {
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(ParseStateSink.builder(client).signatures(names).build())
                    .networks(networks).build();
            try (CloudFunctions endpoint = CloudFunctions.builder().syncer(syncer).client(client)
                    .webhookKey(webhookKey.toCharArray()).bind(new InetSocketAddress(bind, port)).publicUrl(publicUrl)
                    .allowRoles(roles).callsPerMinute(callsPerMinute).syncBudget(Duration.ofSeconds(syncBudget)).build()
                    .start()) {
                spec.commandLine().getErr().println("serving cloud functions at " + endpoint.baseUrl()
                        + " (hooks registered); Ctrl-C to stop");
                spec.commandLine().getErr().flush();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
        }
        return 0;
    }

    /** {@code serve --config}: one endpoint for every configured network, each with its own chain source. */
    private int serveConfigured(String webhookKey) throws Exception {
        ServiceConfig cfg = ConfigLoader.load(config);
        if (!cfg.store().parse()) {
            throw new IllegalArgumentException(config + ": serve needs a parse: store (the cloud functions write to Parse)");
        }
        if (metricsPort != null) {
            cfg = new ServiceConfig(cfg.store(), cfg.networks(), new ServiceConfig.Health(metricsPort, cfg.health().bind(),
                    cfg.health().stuckAfter()), cfg.lease());
        }
        var names = options.signatures();
        Map<Long, Web3jChainSource> chains = new HashMap<>();
        Networks.Builder all = Networks.defaults().toBuilder();
        for (ServiceConfig.NetworkSettings n : cfg.networks()) {
            all.add(n.network());
            chains.put(n.network().chainId(), Web3jChainSource.builder().rpcUrls(n.rpcUrls())
                    .requestsPerSecond(n.requestsPerSecond()).anyAddressLogs(!n.addressedLogs()).build());
        }
        Networks networks = all.build();
        ServiceRunner runner = null;
        try (ParseClient client = ParseClient.builder().serverUrl(cfg.store().parseUrl()).applicationId(cfg.store().parseAppId())
                .masterKey(Secret.of(cfg.store().parseMasterKey())).build()) {
            DiamondSyncer syncer = DiamondSyncer.builder().chainSources(net -> {
                Web3jChainSource c = chains.get(net.chainId());
                if (c == null) {
                    throw new InvalidInputException(ErrorCode.UNKNOWN_NETWORK, net.name() + " is not configured in " + config);
                }
                return c;
            }).sink(ParseStateSink.builder(client).signatures(names).build()).networks(networks).build();
            if (follow) {
                runner = new ServiceRunner(cfg).start(names, net -> io.gemforce.sync.follow.ChangeListener.NONE);
            }
            try (CloudFunctions endpoint = CloudFunctions.builder().syncer(syncer).client(client)
                    .webhookKey(webhookKey.toCharArray()).bind(new InetSocketAddress(bind, port)).publicUrl(publicUrl)
                    .allowRoles(roles).callsPerMinute(callsPerMinute).syncBudget(Duration.ofSeconds(syncBudget)).build()
                    .start()) {
                spec.commandLine().getErr().println("serving cloud functions for " + cfg.networks().size()
                        + " networks at " + endpoint.baseUrl() + (follow ? ", following them" : "") + "; Ctrl-C to stop");
                spec.commandLine().getErr().flush();
                CountDownLatch stop = new CountDownLatch(1);
                for (String sig : List.of("INT", "TERM")) {
                    sun.misc.Signal.handle(new sun.misc.Signal(sig), x -> stop.countDown());
                }
                stop.await();
            }
        } finally {
            if (runner != null) {
                runner.stop(Duration.ofSeconds(30));
            }
            chains.values().forEach(Web3jChainSource::close);
        }
        return 0;
    }
}

package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.parse.ParseClient;
import io.gemforce.sync.parse.ParseStateSink;
import io.gemforce.sync.parse.cloud.CloudFunctions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    @Option(names = "--network", required = true, description = "the network to configure (--factory, --diamond apply to it)")
    String network;

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
}

package io.gemforce.sync.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.InMemoryStateSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM for {@link DeterminismIT}: {@code syncAll} of the local network into an
 * {@link InMemoryStateSink}, then the store's contents written as JSON by a plain
 * {@link ObjectMapper}. Arguments: RPC URL, factory, factory block, last block, output file.
 */
public final class InMemorySyncMain {
    private InMemorySyncMain() {
    }

    public static void main(String[] args) throws Exception {
        Network local = Networks.defaults().resolve("localhost")
                .withFactories(List.of(Address.of(args[1])), Long.parseLong(args[2]));
        InMemoryStateSink sink = new InMemoryStateSink();
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(args[0]).build()) {
            SyncSummary s = DiamondSyncer.builder().chainSource(chain).sink(sink)
                    .networks(Networks.defaults().toBuilder().add(local).build()).blockRange(10, 1, 10).build()
                    .syncAll("localhost", null, Long.parseLong(args[3]), false);
            if (s.status() != SyncStatus.SUCCESS) {
                System.err.println(s.toJson());
                System.exit(1);
            }
        }
        Files.write(Path.of(args[4]), new ObjectMapper().writeValueAsBytes(sink.contents(local.chainId())));
    }
}

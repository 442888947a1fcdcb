package io.gemforce.sync.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.abi.AbiInterface;
import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.history.DiamondHistory;
import io.gemforce.sync.history.HistoricState;
import io.gemforce.sync.history.HistoryEntry;
import io.gemforce.sync.network.Networks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code history}: a diamond's facets and owner at a past block, or its upgrade timeline, from the store alone. */
@Command(name = "history", description = "A diamond's facets and owner at a past block (--at-block), or its upgrade"
        + " timeline, computed from the events in the store: no node is needed.")
final class HistoryCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--diamond", required = true, description = "the diamond's address")
    String diamond;

    @Option(names = "--network", required = true, description = "network name, alias or chain id")
    String network;

    @Option(names = "--at-block", description = "print the diamond's facets, owner and pending upgrade at the end of this block")
    Long atBlock;

    @Option(names = "--store", defaultValue = "jdbc:sqlite:gemforce-sync.sqlite",
            description = "JDBC URL of the store (default: ${DEFAULT-VALUE}); the password comes from $GEMFORCE_STORE_PASSWORD")
    String store;

    @Option(names = "--store-user", description = "database user (PostgreSQL)")
    String storeUser;

    @Option(names = "--abi", paramLabel = "PATH", description = "ABI files or directories naming the functions; repeatable")
    List<Path> abi = new ArrayList<>();

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        Address address = Address.of(diamond);
        long chainId = Networks.defaults().resolve(network).chainId();
        if (atBlock != null && atBlock < 0) {
            throw new InvalidInputException(ErrorCode.INVALID_BLOCK_RANGE, "--at-block must not be negative");
        }
        KnownSignatures names = SyncOptions.signatures(abi);
        if (store.startsWith("jdbc:sqlite:")) { // reading must not create an empty database
            Path file = Path.of(store.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new InvalidInputException(ErrorCode.INVALID_ARGUMENT, "no store at " + file);
            }
        }
        DiamondHistory h;
        try (JdbcStateSink sink = SyncOptions.openJdbc(store, storeUser, names)) {
            h = DiamondHistory.read(sink, chainId, address);
        }
        if (h.timeline().isEmpty() && !h.complete()) {
            spec.commandLine().getErr().println("error: the store holds nothing of " + address.hex() + " on " + network
                    + ": sync it first (sync-diamond or sync-all)");
            return GemforceSyncCli.FAILURE;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (atBlock != null) {
            HistoricState st = h.at(atBlock);
            if (json) {
                out.println(JSON.writeValueAsString(stateJson(st, names)));
            } else {
                printState(out, st, names);
            }
        } else if (json) {
            out.println(JSON.writeValueAsString(timelineJson(h)));
        } else {
            printTimeline(out, h);
        }
        out.flush();
        return GemforceSyncCli.OK;
    }

    private static void printState(PrintWriter out, HistoricState st, KnownSignatures names) {
        if (!st.exists()) {
            out.printf("%s did not exist yet at block %d%n", st.diamond(), st.block());
            return;
        }
        out.printf("%s at block %d: owner %s, %d facets, %d selectors%n", st.diamond(), st.block(), st.owner(),
                st.facets().size(), st.selectorCount());
        out.println("  pending upgrade: " + FacetTable.pending(st.pendingUpgrade()));
        new FacetTable(names, Map.of()).facets(out, st.diamond(), st.facets());
    }

    private static void printTimeline(PrintWriter out, DiamondHistory h) {
        out.printf("%s: %d stored events, synced to block %d%n", h.diamond(), h.timeline().size(), h.lastBlock());
        h.incompleteBecause().ifPresent(why -> out.println("  (states at past blocks are not available: " + why + ")"));
        for (HistoryEntry e : h.timeline()) {
            String after = "";
            if (h.complete() && (e.kind() == HistoryEntry.Kind.CUT || e.kind() == HistoryEntry.Kind.EXECUTED)) {
                HistoricState st = h.at(e.blockNumber());
                after = "  -> " + st.facets().size() + " facets, " + st.selectorCount() + " selectors after block "
                        + e.blockNumber();
            }
            out.printf("block %8d  tx %s  %-21s %s%s%n", e.blockNumber(), e.transactionHash(), e.kind(), describe(e), after);
        }
    }

    static String describe(HistoryEntry e) {
        Map<String, Object> a = e.args();
        return switch (e.kind()) {
            case CUT, EXECUTED -> e.cuts().stream().map(HistoryCommand::cut).collect(Collectors.joining("; "));
            case OWNERSHIP_TRANSFERRED -> a.get("previousOwner") + " -> " + a.get("newOwner");
            case PROPOSED -> "by " + a.get("proposer") + ", executable at unix time " + a.get("executionTime");
            case CANCELLED -> "by " + a.get("canceller");
            case CREATED -> {
                Object settings = a.get("settings");
                Map<?, ?> m = settings instanceof Map<?, ?> map ? map : Map.of();
                yield m.get("symbol") + " \"" + m.get("name") + "\" by factory " + a.get("factory");
            }
        };
    }

    private static String cut(FacetCut c) {
        String n = c.selectors().size() + (c.selectors().size() == 1 ? " selector" : " selectors");
        return switch (c.action()) {
            case ADD -> "add " + n + " to " + c.facetAddress();
            case REPLACE -> "replace " + n + " with " + c.facetAddress();
            case REMOVE -> "remove " + n;
        };
    }

    private static ObjectNode stateJson(HistoricState st, KnownSignatures names) {
        ObjectNode n = JSON.createObjectNode();
        n.put("diamond", st.diamond().hex());
        n.put("block", st.block());
        n.put("exists", st.exists());
        n.put("owner", st.owner() == null ? null : st.owner().hex());
        ArrayNode facets = n.putArray("facets");
        for (Facet f : st.facets()) {
            ObjectNode fn = facets.addObject();
            fn.put("facetAddress", f.facetAddress().hex());
            ArrayNode sels = fn.putArray("selectors");
            f.selectors().stream().map(Selector::hex).forEach(sels::add);
            ArrayNode functions = fn.putArray("functions");
            names.functions(f).forEach(functions::add);
            ArrayNode ids = fn.putArray("interfaces");
            for (AbiInterface i : names.interfacesOf(f)) {
                ids.addObject().put("name", i.name()).put("interfaceId", i.interfaceId().hex());
            }
        }
        n.set("pendingUpgrade", st.pendingUpgrade() == null ? null : JSON.valueToTree(st.pendingUpgrade().toMap()));
        return n;
    }

    private static ObjectNode timelineJson(DiamondHistory h) {
        ObjectNode n = JSON.createObjectNode();
        n.put("diamond", h.diamond().hex());
        n.put("complete", h.complete());
        n.put("lastBlock", h.lastBlock());
        ArrayNode entries = n.putArray("entries");
        for (HistoryEntry e : h.timeline()) {
            ObjectNode en = entries.addObject();
            en.put("kind", e.kind().name());
            en.put("blockNumber", e.blockNumber());
            en.put("transactionHash", e.transactionHash());
            en.put("logIndex", e.logIndex());
            en.set("args", JSON.valueToTree(e.args()));
        }
        return n;
    }
}

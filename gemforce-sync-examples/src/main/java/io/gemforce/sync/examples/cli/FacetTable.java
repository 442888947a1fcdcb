package io.gemforce.sync.examples.cli;

import io.gemforce.sync.abi.AbiInterface;
import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.sink.DiamondRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The facet table the CLI prints: per diamond its facets, each with a name and the ERC-165 ids of
 * the ABIs it serves whole, and per facet its selectors with their signatures when an ABI names them.
 */
final class FacetTable {
    static final String NO_ABI = "(no known ABI)";
    private final KnownSignatures names;
    private final Map<Address, String> facetNames;

    /** @param facetNames names of facets whose addresses are known (the demo's deployments); may be empty */
    FacetTable(KnownSignatures names, Map<Address, String> facetNames) {
        this.names = names;
        this.facetNames = facetNames;
    }

    /** Every diamond, by creation block then address. */
    void diamonds(PrintWriter out, List<DiamondRecord> diamonds) {
        for (DiamondRecord d : byCreation(diamonds)) {
            out.printf("%s  %s \"%s\"  owner %s  %d facets, %d selectors, synced to block %d%n", d.address(),
                    d.symbol(), d.name(), d.owner(), d.facetCount(), d.selectorCount(), d.lastSyncedBlock());
            out.println("  pending upgrade: " + pending(d.pendingUpgrade()));
            facets(out, d.address(), d.facets());
            out.println();
        }
        out.flush();
    }

    /** Every diamond in three lines: what {@link #diamonds} prints first, then its facets' names and sizes on one line. */
    void summary(PrintWriter out, List<DiamondRecord> diamonds) {
        for (DiamondRecord d : byCreation(diamonds)) {
            out.printf("%s  %s \"%s\"  owner %s  %d facets, %d selectors, synced to block %d%n", d.address(),
                    d.symbol(), d.name(), d.owner(), d.facetCount(), d.selectorCount(), d.lastSyncedBlock());
            out.println("  pending upgrade: " + pending(d.pendingUpgrade()));
            out.println("  facets: " + d.facets().stream().map(f -> name(d.address(), f) + " (" + f.selectors().size() + ")")
                    .collect(Collectors.joining(", ")));
        }
        out.flush();
    }

    private static List<DiamondRecord> byCreation(List<DiamondRecord> diamonds) {
        List<DiamondRecord> byCreation = new ArrayList<>(diamonds);
        byCreation.sort(Comparator.comparing((DiamondRecord d) -> d.createdBlock() == null ? Long.MAX_VALUE
                : d.createdBlock()).thenComparing(DiamondRecord::address));
        return byCreation;
    }

    static String pending(PendingUpgrade p) {
        return p == null ? "none" : "proposed by " + p.proposer() + " in block " + p.proposedBlock()
                + ", executable at unix time " + p.executionTime();
    }

    /** The facet and selector lines of one diamond. */
    void facets(PrintWriter out, Address diamond, List<Facet> facets) {
        for (Facet f : facets) {
            List<AbiInterface> served = names.interfacesOf(f);
            out.printf("  facet %s (%s)%s%n", f.facetAddress(), name(diamond, f), served.isEmpty() ? ""
                    : "  ERC-165: " + served.stream().map(i -> i.name() + " " + i.interfaceId().hex())
                            .collect(Collectors.joining(", ")));
            for (Selector s : f.selectors()) {
                out.printf("    %s  %s%n", s, names.apply(s).orElse(NO_ABI));
            }
        }
    }

    /**
     * A known deployment's name; else the ABI that names every selector of the facet with the fewest
     * functions besides (one read from a file before a built-in one): the contract most likely
     * deployed there; else "unknown facet".
     */
    private String name(Address diamond, Facet f) {
        if (f.facetAddress().equals(diamond)) {
            return "the diamond itself";
        }
        String known = facetNames.get(f.facetAddress());
        if (known != null) {
            return known;
        }
        java.util.Set<Selector> selectors = new java.util.HashSet<>(f.selectors());
        return names.interfaces().stream().filter(i -> i.functions().keySet().containsAll(selectors))
                .min(Comparator.comparing((AbiInterface i) -> i.source().equals("built-in"))
                        .thenComparingInt(i -> i.functions().size()))
                .map(AbiInterface::name).orElse("unknown facet");
    }
}

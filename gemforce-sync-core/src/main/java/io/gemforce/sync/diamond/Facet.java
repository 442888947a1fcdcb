package io.gemforce.sync.diamond;

import java.util.List;
import java.util.Objects;

/** A facet as the loupe's {@code facets()} reports it: an address and the selectors it serves. */
public record Facet(Address facetAddress, List<Selector> selectors) {
    public Facet {
        Objects.requireNonNull(facetAddress, "facetAddress");
        selectors = List.copyOf(selectors);
    }
}

package io.gemforce.sync.diamond;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a {@code diamondCut}: an action on a list of selectors for one facet address. Jackson
 * writes it with the ABI's field names, as stores keep it ({@link #toMap()}):
 * {@code {"facetAddress", "action", "functionSelectors"}}.
 */
@JsonPropertyOrder({"facetAddress", "action", "functionSelectors"})
public record FacetCut(Address facetAddress, Action action,
        @JsonProperty("functionSelectors") List<Selector> selectors) {

    /** EIP-2535 cut actions, with their on-chain codes. */
    public enum Action {
        ADD(0), REPLACE(1), REMOVE(2);

        private final int code;

        Action(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The action for an on-chain code, or {@code null} when the code is not 0, 1 or 2. */
        public static Action fromCode(int code) {
            for (Action a : values()) {
                if (a.code == code) {
                    return a;
                }
            }
            return null;
        }
    }

    public FacetCut {
        Objects.requireNonNull(facetAddress, "facetAddress");
        Objects.requireNonNull(action, "action");
        selectors = List.copyOf(selectors);
    }

    public static FacetCut add(Address facet, List<Selector> selectors) {
        return new FacetCut(facet, Action.ADD, selectors);
    }

    public static FacetCut replace(Address facet, List<Selector> selectors) {
        return new FacetCut(facet, Action.REPLACE, selectors);
    }

    public static FacetCut remove(List<Selector> selectors) {
        return new FacetCut(Address.ZERO, Action.REMOVE, selectors);
    }

    /** {@code {"facetAddress", "action" (ADD, REPLACE, REMOVE), "functionSelectors"}}, as stores keep it. */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("facetAddress", facetAddress.hex());
        m.put("action", action.name());
        m.put("functionSelectors", selectors.stream().map(Selector::hex).toList());
        return m;
    }

    /** The inverse of {@link #toMap()}. */
    public static FacetCut fromMap(java.util.Map<?, ?> m) {
        List<Selector> sels = ((List<?>) m.get("functionSelectors")).stream().map(o -> Selector.of((String) o)).toList();
        return new FacetCut(Address.of((String) m.get("facetAddress")), Action.valueOf((String) m.get("action")), sels);
    }
}

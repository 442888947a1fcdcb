package io.gemforce.sync.event;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.web3j.crypto.Hash;

/** The events the syncer indexes, with their canonical signatures and topic0. */
public enum EventType {
    DIAMOND_CUT("DiamondCut", "DiamondCut((address,uint8,bytes4[])[],address,bytes)",
            ArgsLayout.NONE.then("diamondCut", ArgsLayout.of("facetAddress", "action", "functionSelectors"))
                    .then("init", "calldata")),
    OWNERSHIP_TRANSFERRED("OwnershipTransferred", "OwnershipTransferred(address,address)",
            ArgsLayout.of("previousOwner", "newOwner")),
    DIAMOND_CUT_PROPOSED("DiamondCutProposed", "DiamondCutProposed(address,uint256,uint256)",
            ArgsLayout.of("proposer", "proposalTime", "executionTime")),
    DIAMOND_CUT_CANCELLED("DiamondCutCancelled", "DiamondCutCancelled(address)", ArgsLayout.of("canceller")),
    DIAMOND_CREATED("DiamondCreated",
            "DiamondCreated(address,address,string,(address,address,address,string,string))",
            ArgsLayout.of("factory", "diamond", "symbolHash")
                    .then("settings", ArgsLayout.of("owner", "factory", "svgManager", "symbol", "name")));

    private final String eventName;
    private final String signature;
    private final String topic0;
    private final ArgsLayout args;

    EventType(String eventName, String signature, ArgsLayout args) {
        this.eventName = eventName;
        this.signature = signature;
        this.topic0 = Hash.sha3String(signature);
        this.args = args;
    }

    /** The Solidity event name, as stored in {@code eventType}, accepted by {@link #parse} and written by Jackson. */
    @JsonValue
    public String eventName() {
        return eventName;
    }

    /** How this event's stored arguments are laid out. */
    ArgsLayout layout() {
        return args;
    }

    /** The names of the stored arguments, in ABI order (e.g. {@code diamondCut, init, calldata}). */
    public List<String> argNames() {
        return args.names();
    }

    /**
     * {@code args} in canonical form: an immutable deep copy with the keys in this event's ABI order,
     * tuples' fields too (each {@code FacetCut} as {@code facetAddress, action, functionSelectors};
     * {@code settings} as {@code owner, factory, svgManager, symbol, name}), and any key the ABI does not
     * name after them in lexicographic order. A JSON writer that keeps map order (Jackson's default)
     * then gives the same bytes for the same event in every run and every store.
     */
    public Map<String, Object> canonicalArgs(Map<String, ?> args) {
        return this.args.canonical(args);
    }

    /** The canonical signature whose keccak-256 is {@link #topic0()}. */
    public String signature() {
        return signature;
    }

    /** 0x-prefixed lower-case hex. */
    public String topic0() {
        return topic0;
    }

    private static final java.util.Map<String, EventType> BY_TOPIC0 = java.util.Arrays.stream(values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(EventType::topic0, t -> t));

    /** The type whose topic0 this is (any case), or {@code null}. */
    public static EventType byTopic0(String topic0) {
        if (topic0 == null) {
            return null;
        }
        EventType t = BY_TOPIC0.get(topic0);
        return t != null ? t : BY_TOPIC0.get(lower(topic0));
    }

    /**
     * The type named {@code name} ({@code DiamondCut}, {@code OwnershipTransferred},
     * {@code DiamondCutProposed}, {@code DiamondCutCancelled} or {@code DiamondCreated}; case is
     * ignored).
     *
     * @throws InvalidInputException with {@link ErrorCode#INVALID_EVENT_TYPE}
     */
    @JsonCreator
    public static EventType parse(String name) {
        if (name != null) {
            for (EventType t : values()) {
                if (t.eventName.equalsIgnoreCase(name.trim())) {
                    return t;
                }
            }
        }
        String shown = name == null ? "null" : "'" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                .replaceAll("[^\\x20-\\x7e]", "?") + "'";
        throw new InvalidInputException(ErrorCode.INVALID_EVENT_TYPE, "unknown eventType " + shown + "; expected one of "
                + Arrays.stream(values()).map(EventType::eventName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return eventName;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

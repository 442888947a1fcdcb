package io.gemforce.sync.event;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.web3j.crypto.Hash;

/** The events the syncer indexes, with their canonical signatures and topic0. */
public enum EventType {
    DIAMOND_CUT("DiamondCut", "DiamondCut((address,uint8,bytes4[])[],address,bytes)"),
    OWNERSHIP_TRANSFERRED("OwnershipTransferred", "OwnershipTransferred(address,address)"),
    DIAMOND_CUT_PROPOSED("DiamondCutProposed", "DiamondCutProposed(address,uint256,uint256)"),
    DIAMOND_CUT_CANCELLED("DiamondCutCancelled", "DiamondCutCancelled(address)"),
    DIAMOND_CREATED("DiamondCreated",
            "DiamondCreated(address,address,string,(address,address,address,string,string))");

    private final String eventName;
    private final String signature;
    private final String topic0;

    EventType(String eventName, String signature) {
        this.eventName = eventName;
        this.signature = signature;
        this.topic0 = Hash.sha3String(signature);
    }

    /** The Solidity event name, as stored in {@code eventType} and accepted by {@link #parse}. */
    public String eventName() {
        return eventName;
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

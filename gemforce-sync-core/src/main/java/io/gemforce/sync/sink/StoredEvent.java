package io.gemforce.sync.sink;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.event.EventType;
import java.util.Map;
import java.util.Objects;

/**
 * An indexed event as stores keep it. {@code uid} ({@code chainId:transactionHash:logIndex}) is its
 * identity: writing the same uid twice must not create a second event.
 *
 * @param diamondAddress the diamond the event is about (for {@code DiamondCreated}, the created
 *     diamond)
 * @param emitter the contract that emitted the log (the factory, for {@code DiamondCreated})
 * @param args the decoded arguments: strings, lists and maps only (numbers as decimal strings); kept
 *     in canonical form ({@link EventType#canonicalArgs}: keys in ABI order, tuples' fields too), so
 *     that the same event serialises to the same JSON bytes in every run, whatever order the map
 *     given here (or read back from a store) had
 */
public record StoredEvent(String uid, String network, long chainId, Address diamondAddress, Address emitter,
        EventType eventType, long blockNumber, String blockHash, String transactionHash, long logIndex,
        Map<String, Object> args) {

    public StoredEvent {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(diamondAddress, "diamondAddress");
        Objects.requireNonNull(emitter, "emitter");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(transactionHash, "transactionHash");
        args = eventType.canonicalArgs(Objects.requireNonNull(args, "args"));
    }

    public static StoredEvent of(String network, long chainId, DiamondEvent e) {
        var p = e.position();
        return new StoredEvent(p.uid(chainId), network, chainId, e.diamond(), e.emitter(), e.type(),
                p.blockNumber(), p.blockHash(), p.transactionHash(), p.logIndex(), e.args());
    }

    /**
     * A builder, for stores that read events back: a field added to this record later gets a
     * default here instead of breaking every sink that calls the canonical constructor. The uid is
     * derived ({@code chainId:transactionHash:logIndex}) unless set.
     */
    public static Builder builder(String network, long chainId, EventType eventType) {
        return new Builder(network, chainId, eventType);
    }

    /** Builds a {@link StoredEvent}; every setter returns the builder. */
    public static final class Builder {
        private final String network;
        private final long chainId;
        private final EventType eventType;
        private String uid;
        private Address diamondAddress;
        private Address emitter;
        private long blockNumber;
        private String blockHash;
        private String transactionHash;
        private long logIndex;
        private Map<String, Object> args = Map.of();

        private Builder(String network, long chainId, EventType eventType) {
            this.network = network;
            this.chainId = chainId;
            this.eventType = eventType;
        }

        public Builder uid(String uid) {
            this.uid = uid;
            return this;
        }

        /** The diamond the event is about, and the contract that emitted it (the same but for DiamondCreated). */
        public Builder diamond(Address diamond, Address emitter) {
            this.diamondAddress = diamond;
            this.emitter = emitter;
            return this;
        }

        public Builder at(long blockNumber, String blockHash, String transactionHash, long logIndex) {
            this.blockNumber = blockNumber;
            this.blockHash = blockHash;
            this.transactionHash = transactionHash;
            this.logIndex = logIndex;
            return this;
        }

        public Builder args(Map<String, Object> args) {
            this.args = args;
            return this;
        }

        public StoredEvent build() {
            String id = uid != null ? uid : chainId + ":" + transactionHash + ":" + logIndex;
            return new StoredEvent(id, network, chainId, diamondAddress, emitter, eventType, blockNumber, blockHash,
                    transactionHash, logIndex, args);
        }
    }
}

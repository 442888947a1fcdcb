package io.gemforce.sync.event;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A decoded event that the syncer indexes. Each kind carries the emitting contract and its
 * {@link LogPosition}; {@link #diamond()} is the diamond the event is about (for
 * {@link DiamondCreated}, the created diamond rather than the emitting factory).
 */
public sealed interface DiamondEvent {

    Address emitter();

    LogPosition position();

    EventType type();

    /** The diamond this event belongs to. */
    default Address diamond() {
        return emitter();
    }

    /** The event's arguments as JSON-friendly values (strings, numbers as decimal strings, lists, maps). */
    Map<String, Object> args();

    /** {@code DiamondCut(FacetCut[] _diamondCut, address _init, bytes _calldata)}. */
    record DiamondCut(Address emitter, LogPosition position, List<FacetCut> cuts, Address init,
            String calldata) implements DiamondEvent {
        public DiamondCut {
            Objects.requireNonNull(emitter);
            Objects.requireNonNull(position);
            cuts = List.copyOf(cuts);
            Objects.requireNonNull(init);
            Objects.requireNonNull(calldata);
        }

        @Override
        public EventType type() {
            return EventType.DIAMOND_CUT;
        }

        @Override
        public Map<String, Object> args() {
            ArgsLayout layout = EventType.DIAMOND_CUT.layout();
            ArgsLayout cutLayout = layout.tuple("diamondCut");
            Object[] cutMaps = new Object[cuts.size()];
            for (int i = 0; i < cutMaps.length; i++) {
                FacetCut c = cuts.get(i);
                String[] selectors = new String[c.selectors().size()];
                for (int j = 0; j < selectors.length; j++) {
                    selectors[j] = c.selectors().get(j).hex();
                }
                cutMaps[i] = cutLayout.ofValues(c.facetAddress().hex(), c.action().name(), List.of(selectors));
            }
            return layout.ofValues(List.of(cutMaps), init.hex(), calldata);
        }
    }

    /** ERC-173 {@code OwnershipTransferred(address indexed previousOwner, address indexed newOwner)}. */
    record OwnershipTransferred(Address emitter, LogPosition position, Address previousOwner,
            Address newOwner) implements DiamondEvent {
        public OwnershipTransferred {
            Objects.requireNonNull(emitter);
            Objects.requireNonNull(position);
            Objects.requireNonNull(previousOwner);
            Objects.requireNonNull(newOwner);
        }

        @Override
        public EventType type() {
            return EventType.OWNERSHIP_TRANSFERRED;
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("previousOwner", previousOwner.hex());
            m.put("newOwner", newOwner.hex());
            return m;
        }
    }

    /** Gemforce's {@code DiamondCutProposed(address indexed proposer, uint256 indexed proposalTime, uint256 executionTime)}. */
    record DiamondCutProposed(Address emitter, LogPosition position, Address proposer,
            BigInteger proposalTime, BigInteger executionTime) implements DiamondEvent {
        public DiamondCutProposed {
            Objects.requireNonNull(emitter);
            Objects.requireNonNull(position);
            Objects.requireNonNull(proposer);
            Objects.requireNonNull(proposalTime);
            Objects.requireNonNull(executionTime);
        }

        @Override
        public EventType type() {
            return EventType.DIAMOND_CUT_PROPOSED;
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("proposer", proposer.hex());
            m.put("proposalTime", proposalTime.toString());
            m.put("executionTime", executionTime.toString());
            return m;
        }
    }

    /** Gemforce's {@code DiamondCutCancelled(address indexed canceller)}. */
    record DiamondCutCancelled(Address emitter, LogPosition position, Address canceller)
            implements DiamondEvent {
        public DiamondCutCancelled {
            Objects.requireNonNull(emitter);
            Objects.requireNonNull(position);
            Objects.requireNonNull(canceller);
        }

        @Override
        public EventType type() {
            return EventType.DIAMOND_CUT_CANCELLED;
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("canceller", canceller.hex());
            return m;
        }
    }

    /**
     * The factory's {@code DiamondCreated(address indexed factory, address indexed diamond,
     * string indexed symbol, DiamondSettings settings)}. The indexed symbol is only a hash
     * ({@code symbolHash}); {@code symbol} and {@code name} come from the settings tuple.
     */
    record DiamondCreated(Address emitter, LogPosition position, Address factory, Address createdDiamond,
            String symbolHash, Address settingsOwner, Address settingsFactory, Address svgManager,
            String symbol, String name) implements DiamondEvent {
        public DiamondCreated {
            Objects.requireNonNull(emitter);
            Objects.requireNonNull(position);
            Objects.requireNonNull(factory);
            Objects.requireNonNull(createdDiamond);
            Objects.requireNonNull(symbolHash);
            Objects.requireNonNull(settingsOwner);
            Objects.requireNonNull(settingsFactory);
            Objects.requireNonNull(svgManager);
            Objects.requireNonNull(symbol);
            Objects.requireNonNull(name);
        }

        @Override
        public EventType type() {
            return EventType.DIAMOND_CREATED;
        }

        @Override
        public Address diamond() {
            return createdDiamond;
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("owner", settingsOwner.hex());
            settings.put("factory", settingsFactory.hex());
            settings.put("svgManager", svgManager.hex());
            settings.put("symbol", symbol);
            settings.put("name", name);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("factory", factory.hex());
            m.put("diamond", createdDiamond.hex());
            m.put("symbolHash", symbolHash);
            m.put("settings", settings);
            return m;
        }
    }
}

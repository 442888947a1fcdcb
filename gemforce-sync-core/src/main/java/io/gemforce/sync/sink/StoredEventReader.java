package io.gemforce.sync.sink;

import io.gemforce.sync.diamond.Address;
import java.util.List;

/**
 * A read port a store may offer beside {@link StateSink}: the events it holds for one diamond. The
 * history API ({@link io.gemforce.sync.history.DiamondHistory}) replays them to answer a
 * diamond's facets and owner at a past block with no chain call. {@link InMemoryStateSink} and the
 * JDBC sink of the examples implement it; a custom sink may.
 *
 * <p>Implementations must be thread-safe, as their {@link StateSink} is.
 */
public interface StoredEventReader {

    /**
     * Every stored event of {@code diamond} on the chain (its {@code DiamondCreated}, emitted by the
     * factory, included: {@link StoredEvent#diamondAddress()} is the created diamond), ordered by
     * block number, then log index, then uid.
     *
     * @throws io.gemforce.sync.SinkException when the store cannot be read
     */
    List<StoredEvent> storedEvents(long chainId, Address diamond);
}

package io.gemforce.sync.sink;

import io.gemforce.sync.testkit.StoredEventReaderConformance;

class InMemoryStoredEventsTest extends StoredEventReaderConformance {
    @Override
    protected StateSink newStore() {
        return new InMemoryStateSink();
    }
}

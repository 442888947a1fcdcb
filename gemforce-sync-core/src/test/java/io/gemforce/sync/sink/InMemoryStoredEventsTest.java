package io.gemforce.sync.sink;

class InMemoryStoredEventsTest extends StoredEventReaderConformance {
    @Override
    protected StateSink newStore() {
        return new InMemoryStateSink();
    }
}

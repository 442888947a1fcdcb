package io.gemforce.sync.sink;

class InMemoryStateSinkTest extends StateSinkConformance {
    @Override
    protected StateSink newSink() {
        return new InMemoryStateSink();
    }
}

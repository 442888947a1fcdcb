package io.gemforce.sync.sink;

import io.gemforce.sync.testkit.StateSinkConformance;

class InMemoryStateSinkTest extends StateSinkConformance {
    @Override
    protected StateSink newSink() {
        return new InMemoryStateSink();
    }
}

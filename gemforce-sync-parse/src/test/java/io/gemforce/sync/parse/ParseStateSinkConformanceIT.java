package io.gemforce.sync.parse;

import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.testkit.StateSinkConformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@link StateSink} contract, run against {@link ParseStateSink} on a real Parse Server. */
@ExtendWith(ParseServerExtension.class)
class ParseStateSinkConformanceIT extends StateSinkConformance {
    private static ParseTestServer server;
    private static ParseClient client;
    private static ParseStateSink parse;

    @BeforeAll
    static void start(ParseTestServer s) {
        server = s;
        client = s.newClient();
        parse = ParseStateSink.builder(client).build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    /** The same sink, emptied: every object of the sink's classes is purged. */
    @Override
    protected StateSink newSink() {
        server.purgeSinkClasses();
        return parse;
    }
}

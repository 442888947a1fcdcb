package io.gemforce.sync.parse;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link ParseTestServer} (PostgreSQL + Parse Server) per JVM, kept in the root
 * extension context's store so that JUnit closes it after the last test, and injects it into test
 * constructors, lifecycle methods and test methods that declare a {@link ParseTestServer} parameter.
 * A failed start is remembered: every later test class fails at once with the same message.
 */
public final class ParseServerExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ParseServerExtension.class);

    private record Started(ParseTestServer server, RuntimeException failure)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }

    /** The JVM's test server, started on first use. */
    public static ParseTestServer server(ExtensionContext context) {
        Started s = context.getRoot().getStore(NS).getOrComputeIfAbsent("server", k -> {
            try {
                return new Started(ParseTestServer.start(), null);
            } catch (RuntimeException e) {
                return new Started(null, e);
            }
        }, Started.class);
        if (s.failure() != null) {
            throw new ExtensionConfigurationException("Parse Server test environment: " + s.failure().getMessage(),
                    s.failure());
        }
        return s.server();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ParseTestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server(extensionContext);
    }
}

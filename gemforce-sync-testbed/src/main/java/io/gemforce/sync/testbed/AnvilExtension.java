package io.gemforce.sync.testbed;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link Anvil}: started once per JVM on first use, stopped when the test
 * run ends. Tests that need a fresh chain call {@link Anvil#reset()}.
 */
public final class AnvilExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AnvilExtension.class);

    private record Resource(Anvil anvil) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            anvil.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Anvil.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return e.getRoot().getStore(NS).getOrComputeIfAbsent("anvil", k -> new Resource(Anvil.start()), Resource.class)
                .anvil();
    }
}

package io.gemforce.sync.internal;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SinkException;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.sink.StateSink;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;

/**
 * The one failure channel at the ports: whatever a host's {@link StateSink} or {@link ChainSource}
 * throws reaches the engine, and from it the host, as a typed {@link SyncException}. A sink's foreign
 * exception becomes a {@link SinkException} ({@code SINK_FAILURE}), a chain source's a
 * {@link ChainException} ({@code CHAIN_ERROR}), the original kept as the cause; typed exceptions
 * and {@link Error}s pass unchanged. Every method of the port is covered, default methods and
 * methods added later included.
 */
public final class Guarded {
    private Guarded() {
    }

    public static StateSink sink(StateSink sink) {
        if (sink == null || Proxy.isProxyClass(sink.getClass())) {
            return sink;
        }
        return wrap(StateSink.class, sink, (m, e) -> new SinkException("the store failed in " + m + ": " + e, e));
    }

    public static ChainSource chain(ChainSource chain) {
        if (chain == null || Proxy.isProxyClass(chain.getClass())) {
            return chain;
        }
        return wrap(ChainSource.class, chain, (m, e) -> new ChainException(ErrorCode.CHAIN_ERROR,
                "the chain source failed in " + m + ": " + e, e));
    }

    private static <T> T wrap(Class<T> port, T target, BiFunction<String, Exception, SyncException> typed) {
        Object proxy = Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (p, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(p, target, method, args);
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException ite) {
                Throwable cause = ite.getCause();
                if (cause instanceof SyncException || cause instanceof Error) {
                    throw cause;
                }
                throw typed.apply(method.getName(), (Exception) cause);
            }
        });
        return port.cast(proxy);
    }

    private static Object objectMethod(Object proxy, Object target, Method method, Object[] args) throws Exception {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return target.toString();
            default:
                return method.invoke(target, args);
        }
    }
}

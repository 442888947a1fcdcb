package io.gemforce.sync.chain.web3j;

import io.reactivex.disposables.Disposable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.websocket.WebSocketService;

/**
 * New heads heard over a WebSocket ({@code eth_subscribe newHeads}, web3j's WebSocket service):
 * each one runs a callback, which a follower uses to read the chain at once instead of at its next
 * poll. When the socket cannot be opened or drops, it is opened again every {@code retry}; the
 * follower keeps polling meanwhile. The URL never appears in logs (API keys live in URLs).
 */
public final class NewHeadsSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NewHeadsSubscription.class);

    private final String url;
    private final Runnable onHead;
    private final ScheduledExecutorService timer;
    private WebSocketService service;
    private Disposable subscription;
    private volatile boolean connected;
    private volatile boolean closed;

    private NewHeadsSubscription(String url, Runnable onHead) {
        this.url = url;
        this.onHead = onHead;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gemforce-newheads");
            t.setDaemon(true);
            return t;
        });
    }

    /** Subscribes now (in the background when the socket is not up yet); {@link #close()} ends it. */
    public static NewHeadsSubscription open(String wsUrl, Runnable onHead, Duration retry) {
        Objects.requireNonNull(wsUrl, "wsUrl");
        NewHeadsSubscription s = new NewHeadsSubscription(wsUrl, Objects.requireNonNull(onHead, "onHead"));
        long every = Math.max(100, retry.toMillis());
        s.timer.scheduleWithFixedDelay(s::ensureConnected, 0, every, TimeUnit.MILLISECONDS);
        return s;
    }

    /** Whether the socket is up and subscribed. */
    public boolean connected() {
        return connected;
    }

    private synchronized void ensureConnected() {
        if (connected || closed) {
            return;
        }
        dispose();
        try {
            WebSocketService ws = new WebSocketService(url, false);
            ws.connect(message -> { }, error -> dropped(error), () -> dropped(null));
            service = ws;
            subscription = Web3j.build(ws).newHeadsNotifications().subscribe(n -> onHead.run(), this::dropped);
            connected = true;
            LOG.info("listening for new heads on {}", Redaction.redact(url));
        } catch (Exception | LinkageError e) {
            LOG.debug("no WebSocket to {} yet: {}", Redaction.redact(url),
                    Redaction.scrub(String.valueOf(e.getMessage()), List.of(url)));
            dispose();
        }
    }

    private void dropped(Throwable error) {
        if (connected && !closed) {
            LOG.warn("the WebSocket to {} dropped{}; polling until it is back", Redaction.redact(url),
                    error == null ? "" : ": " + Redaction.scrub(String.valueOf(error.getMessage()), List.of(url)));
        }
        connected = false;
    }

    private void dispose() {
        if (subscription != null) {
            subscription.dispose();
            subscription = null;
        }
        if (service != null) {
            try {
                service.close();
            } catch (RuntimeException ignored) {
                // closing a broken socket
            }
            service = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        connected = false;
        timer.shutdownNow();
        dispose();
    }
}

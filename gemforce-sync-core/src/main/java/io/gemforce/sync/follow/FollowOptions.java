package io.gemforce.sync.follow;

import java.time.Duration;
import java.util.Objects;

/**
 * How a follower follows: its mode, how it learns of new heads, and who hears its changes.
 * Immutable; made by {@link #builder()}.
 */
public final class FollowOptions {
    private final FollowMode mode;
    private final Duration pollInterval;
    private final String webSocketUrl;
    private final ChangeListener listener;
    private final int queueCapacity;
    private final Duration maxBackoff;
    private final String deliveryCursor;

    private FollowOptions(Builder b) {
        this.deliveryCursor = b.deliveryCursor;
        this.mode = b.mode;
        this.pollInterval = b.pollInterval;
        this.webSocketUrl = b.webSocketUrl;
        this.listener = b.listener;
        this.queueCapacity = b.queueCapacity;
        this.maxBackoff = b.maxBackoff;
    }

    /** Confirmed mode, the network's default poll interval, no listener. */
    public static FollowOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public FollowMode mode() {
        return mode;
    }

    /** The poll interval asked for, or null for the network's default ({@link #defaultPollInterval}). */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** The {@code ws://} or {@code wss://} URL to hear new heads on, or null to poll only. */
    public String webSocketUrl() {
        return webSocketUrl;
    }

    public ChangeListener listener() {
        return listener;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The name the listener's delivery cursor is stored under, or null when none is kept. */
    public String deliveryCursor() {
        return deliveryCursor;
    }

    /**
     * About the block time of the chain: 12 s on Ethereum and its testnets, 2 s on the OP-stack
     * chains (Base, Optimism) and Polygon, 1 s on Arbitrum and on local nodes (Anvil, Hardhat), 2 s
     * elsewhere.
     */
    public static Duration defaultPollInterval(long chainId) {
        if (chainId == 1 || chainId == 11155111 || chainId == 17000) {
            return Duration.ofSeconds(12);
        }
        if (chainId == 42161 || chainId == 421614 || chainId == 31337 || chainId == 1337) {
            return Duration.ofSeconds(1);
        }
        return Duration.ofSeconds(2);
    }

    /** Builds {@link FollowOptions}. */
    public static final class Builder {
        private FollowMode mode = FollowMode.CONFIRMED;
        private Duration pollInterval;
        private String webSocketUrl;
        private ChangeListener listener = ChangeListener.NONE;
        private int queueCapacity = 10_000;
        private Duration maxBackoff = Duration.ofSeconds(30);
        private String deliveryCursor;

        private Builder() {
        }

        public Builder mode(FollowMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** How often the head is read (also with a WebSocket: it is the fallback). At least 10 ms. */
        public Builder pollInterval(Duration interval) {
            if (interval != null && interval.toMillis() < 10) {
                throw new IllegalArgumentException("poll interval must be at least 10 ms, got " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * Hears new heads over a WebSocket ({@code eth_subscribe newHeads}) besides polling; when the
         * socket drops, polling carries on and the socket is opened again later.
         */
        public Builder webSocketUrl(String url) {
            if (url != null && !url.startsWith("ws://") && !url.startsWith("wss://")) {
                throw new IllegalArgumentException("a WebSocket URL starts with ws:// or wss://");
            }
            this.webSocketUrl = url;
            return this;
        }

        public Builder listener(ChangeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Changes waiting for the listener, at most; a full queue holds back this network's commits. */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queue capacity must be positive");
            }
            this.queueCapacity = capacity;
            return this;
        }

        /** The longest wait between attempts after a failed round (a node or store down). */
        public Builder maxBackoff(Duration max) {
            this.maxBackoff = Objects.requireNonNull(max, "maxBackoff");
            return this;
        }

        /**
         * Keeps how far the listener has taken changes in the store, as a checkpoint named
         * {@code listener:<name>}, so that delivery is at least once across restarts too: a follower
         * started with the same name first delivers again what was committed after that point (read
         * again from the chain into a scratch store, the real store untouched), then goes on. The
         * first start with a new name on a store that already holds the network starts from the
         * store's checkpoint (history is not replayed). Letters, digits, '.', '_' and '-'.
         */
        public Builder deliveryCursor(String name) {
            if (name != null && !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("a delivery cursor name is 1-64 letters, digits, '.', '_' or '-'");
            }
            this.deliveryCursor = name;
            return this;
        }

        public FollowOptions build() {
            return new FollowOptions(this);
        }
    }
}

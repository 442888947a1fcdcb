package io.gemforce.sync.examples.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.follow.FollowMode;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a service configuration (YAML, or JSON for a {@code .json} file) strictly: an unknown key, a
 * missing environment variable, a malformed URL or address, an unknown or duplicate network each
 * fail with the file, line, column and key, before anything starts. Values may reference the
 * environment as {@code ${env:NAME}} anywhere in a string; secrets (passwords, master keys) may only
 * be given that way. The schema is in {@code docs/operations.md}.
 */
public final class ConfigLoader {
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Set<String> TOP = Set.of("store", "networks", "health", "lease");
    private static final Set<String> STORE = Set.of("jdbc", "parse");
    private static final Set<String> JDBC = Set.of("url", "user", "password");
    private static final Set<String> PARSE = Set.of("url", "appId", "masterKey");
    private static final Set<String> NETWORK = Set.of("rpcUrls", "wsUrl", "factories", "diamonds", "startBlock",
            "confirmations", "mode", "pollInterval", "requestsPerSecond", "concurrency", "addressedLogs");
    private static final Set<String> HEALTH = Set.of("port", "bind", "stuckAfter");
    private static final Set<String> LEASE = Set.of("ttl", "holder");

    private final LocatedTree tree;
    private final Function<String, String> env;
    private final Networks registry;

    private ConfigLoader(LocatedTree tree, Function<String, String> env, Networks registry) {
        this.tree = tree;
        this.env = env;
        this.registry = registry;
    }

    /** Reads {@code file} with the process environment and the default network registry. */
    public static ServiceConfig load(Path file) {
        return load(file, System::getenv, Networks.defaults());
    }

    public static ServiceConfig load(Path file, Function<String, String> env, Networks registry) {
        return new ConfigLoader(LocatedTree.read(file), env, registry).parse();
    }

    private ServiceConfig parse() {
        JsonNode root = tree.root;
        if (!root.isObject()) {
            throw tree.error("", "the configuration must be a mapping with store and networks");
        }
        keys(root, "", TOP);
        ServiceConfig.Store store = store(required(root, "", "store"));
        JsonNode nets = required(root, "", "networks");
        if (!nets.isObject() || nets.isEmpty()) {
            throw tree.error("networks", "give at least one network, keyed by its name (e.g. base-sepolia:)");
        }
        List<ServiceConfig.NetworkSettings> networks = new ArrayList<>();
        Map<Long, String> seen = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = nets.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ServiceConfig.NetworkSettings n = network(e.getKey(), e.getValue(), "networks." + e.getKey());
            String before = seen.put(n.network().chainId(), e.getKey());
            if (before != null) {
                throw tree.error("networks." + e.getKey(), "the same network as " + before + " (chain id "
                        + n.network().chainId() + "): configure each network once");
            }
            networks.add(n);
        }
        JsonNode h = root.path("health");
        keys(h, "health", HEALTH);
        ServiceConfig.Health health = new ServiceConfig.Health((int) integer(h, "health", "port", 0, 0, 65535),
                text(h, "health", "bind", "127.0.0.1"), duration(h, "health", "stuckAfter", Duration.ofSeconds(120)));
        JsonNode l = root.path("lease");
        keys(l, "lease", LEASE);
        String holder = text(l, "lease", "holder", ManagementFactory.getRuntimeMXBean().getName());
        ServiceConfig.Lease lease = new ServiceConfig.Lease(duration(l, "lease", "ttl", Duration.ofSeconds(30)), holder);
        return new ServiceConfig(store, List.copyOf(networks), health, lease);
    }

    private ServiceConfig.Store store(JsonNode s) {
        keys(s, "store", STORE);
        boolean jdbc = s.has("jdbc");
        if (jdbc == s.has("parse")) {
            throw tree.error("store", "give exactly one of jdbc: or parse:");
        }
        if (jdbc) {
            JsonNode j = s.get("jdbc");
            keys(j, "store.jdbc", JDBC);
            String url = text(j, "store.jdbc", "url", null);
            if (url == null || !url.startsWith("jdbc:")) {
                throw tree.error("store.jdbc.url", "a JDBC URL (jdbc:sqlite:<file> or jdbc:postgresql://...) is required");
            }
            return new ServiceConfig.Store(url, text(j, "store.jdbc", "user", null), secret(j, "store.jdbc", "password"),
                    null, null, null);
        }
        JsonNode p = s.get("parse");
        keys(p, "store.parse", PARSE);
        String url = httpUrl(p, "store.parse.url", text(p, "store.parse", "url", null));
        String app = text(p, "store.parse", "appId", null);
        if (app == null) {
            throw tree.error("store.parse", "appId is required");
        }
        String key = secret(p, "store.parse", "masterKey");
        if (key == null) {
            throw tree.error("store.parse", "masterKey is required (as ${env:NAME})");
        }
        return new ServiceConfig.Store(null, null, null, url, app, key);
    }

    private ServiceConfig.NetworkSettings network(String name, JsonNode n, String path) {
        keys(n, path, NETWORK);
        Network net;
        try {
            net = registry.resolve(name);
        } catch (InvalidInputException e) {
            throw tree.error(path, e.getMessage());
        }
        List<String> rpc = new ArrayList<>();
        JsonNode urls = required(n, path, "rpcUrls");
        if (!urls.isArray() || urls.isEmpty()) {
            throw tree.error(path + ".rpcUrls", "a list of at least one http(s) URL");
        }
        for (int i = 0; i < urls.size(); i++) {
            rpc.add(httpUrl(urls, path + ".rpcUrls[" + i + "]", resolve(urls.get(i), path + ".rpcUrls[" + i + "]")));
        }
        String ws = text(n, path, "wsUrl", null);
        if (ws != null && !ws.startsWith("ws://") && !ws.startsWith("wss://")) {
            throw tree.error(path + ".wsUrl", "a ws:// or wss:// URL");
        }
        List<Address> factories = addresses(n, path, "factories");
        List<Address> diamonds = addresses(n, path, "diamonds");
        long start = integer(n, path, "startBlock", net.startBlock(), 0, Long.MAX_VALUE);
        net = net.withFactories(factories.isEmpty() ? net.factories() : factories, start)
                .withConfirmations(integer(n, path, "confirmations", net.confirmations(), 0, 10_000));
        if (!diamonds.isEmpty()) {
            net = net.withDiamonds(diamonds);
        }
        String mode = text(n, path, "mode", "confirmed").toLowerCase(Locale.ROOT);
        if (!mode.equals("confirmed") && !mode.equals("head")) {
            throw tree.error(path + ".mode", "confirmed or head, not " + mode);
        }
        double rps = n.has("requestsPerSecond") ? n.get("requestsPerSecond").asDouble(-1) : 0;
        if (rps < 0) {
            throw tree.error(path + ".requestsPerSecond", "a number, 0 for no limit");
        }
        JsonNode addressed = n.path("addressedLogs");
        if (!addressed.isMissingNode() && !addressed.isBoolean()) {
            throw tree.error(path + ".addressedLogs", "true or false");
        }
        return new ServiceConfig.NetworkSettings(net, List.copyOf(rpc), ws,
                mode.equals("head") ? FollowMode.HEAD : FollowMode.CONFIRMED, duration(n, path, "pollInterval", null),
                rps, (int) integer(n, path, "concurrency", 4, 1, 64), addressed.asBoolean(false));
    }

    private void keys(JsonNode node, String path, Set<String> allowed) {
        if (node.isMissingNode()) {
            return;
        }
        if (!node.isObject()) {
            throw tree.error(path, "must be a mapping");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw tree.error(path.isEmpty() ? k : path + "." + k, "unknown key; expected one of "
                        + new java.util.TreeSet<>(allowed));
            }
        });
    }

    private JsonNode required(JsonNode node, String path, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw tree.error(path, key + " is required");
        }
        return v;
    }

    private String resolve(JsonNode v, String path) {
        if (!v.isTextual() && !v.isNumber()) {
            throw tree.error(path, "must be a string");
        }
        Matcher m = ENV.matcher(v.asText());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null || value.isEmpty()) {
                throw tree.error(path, "environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String text(JsonNode node, String path, String key, String dflt) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? dflt : resolve(v, path + "." + key);
    }

    /** A secret: only as {@code ${env:NAME}}, never written in the file. */
    private String secret(JsonNode node, String path, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || !ENV.matcher(v.asText()).matches()) {
            throw tree.error(path + "." + key, "secrets are given only as ${env:NAME}, never inline");
        }
        return resolve(v, path + "." + key);
    }

    private long integer(JsonNode node, String path, String key, long dflt, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        long n;
        try {
            n = v.isNumber() ? v.asLong() : Long.parseLong(resolve(v, path + "." + key).trim());
        } catch (NumberFormatException e) {
            throw tree.error(path + "." + key, "a whole number");
        }
        if (n < min || n > max) {
            throw tree.error(path + "." + key, "between " + min + " and " + max);
        }
        return n;
    }

    private Duration duration(JsonNode node, String path, String key, Duration dflt) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        String s = resolve(v, path + "." + key).trim().toLowerCase(Locale.ROOT);
        try {
            Duration d = s.endsWith("ms") ? Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)))
                    : s.endsWith("s") ? Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000))
                    : s.endsWith("m") ? Duration.ofSeconds(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60))
                    : Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw tree.error(path + "." + key, "a positive duration such as 500ms, 2s or 1m");
        }
    }

    private String httpUrl(JsonNode at, String path, String url) {
        if (url == null) {
            throw tree.error(path, "a URL is required");
        }
        try {
            URI u = URI.create(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw tree.error(path, "not an http(s) URL");
        }
    }

    private List<Address> addresses(JsonNode node, String path, String key) {
        JsonNode v = node.get(key);
        List<Address> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw tree.error(path + "." + key, "a list of addresses");
        }
        for (int i = 0; i < v.size(); i++) {
            String p = path + "." + key + "[" + i + "]";
            try {
                out.add(Address.of(resolve(v.get(i), p)));
            } catch (InvalidInputException e) {
                throw tree.error(p, e.getMessage());
            }
        }
        return out;
    }
}

package io.gemforce.sync.examples.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML or JSON document as a tree that remembers where each value was written ({@code line:col}
 * per path such as {@code networks[1].rpcUrls[0]}), so that configuration errors can point at the
 * bad line. Duplicate keys are refused.
 */
final class LocatedTree {
    final Path file;
    final JsonNode root;
    private final Map<String, JsonLocation> where;

    private LocatedTree(Path file, JsonNode root, Map<String, JsonLocation> where) {
        this.file = file;
        this.root = root;
        this.where = where;
    }

    static LocatedTree read(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        JsonFactory factory = name.endsWith(".json") ? new JsonFactory() : new YAMLFactory();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        Map<String, JsonLocation> where = new HashMap<>();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration: " + e.getMessage());
        }
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new ConfigException(file + ": the configuration is empty");
            }
            JsonNode root = value(p, "", where);
            return new LocatedTree(file, root, where);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new ConfigException(file + (l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr()) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static JsonNode value(JsonParser p, String path, Map<String, JsonLocation> where) throws IOException {
        where.putIfAbsent(path, p.currentTokenLocation()); // a key's own line when it has one
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (p.currentToken()) {
            case START_OBJECT: {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String child = path.isEmpty() ? key : path + "." + key;
                    where.put(child, p.currentTokenLocation());
                    p.nextToken();
                    o.set(key, value(p, child, where));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p, path + "[" + i++ + "]", where));
                }
                return a;
            }
            case VALUE_STRING:
                return f.textNode(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                // as written: YAML reads an unquoted 0x… address as a (huge) number
                return f.textNode(p.getText());
            case VALUE_TRUE:
                return f.booleanNode(true);
            case VALUE_FALSE:
                return f.booleanNode(false);
            case VALUE_NULL:
                return f.nullNode();
            default:
                throw new ConfigException("unexpected " + p.currentToken() + " at " + path);
        }
    }

    /** {@code file:line:col: path: message}. */
    ConfigException error(String path, String message) {
        JsonLocation l = where.get(path);
        String at = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
        return new ConfigException(file + at + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }
}

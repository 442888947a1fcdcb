package io.gemforce.sync.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.SinkException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Parse classes the sink owns, their fields and indexes, and the bootstrap that creates or
 * migrates them through {@code /schemas}.
 *
 * <p>Migration only adds: a missing class is created (with fields, indexes and class-level
 * permissions), a missing field or index is added to an existing class. A field that exists with
 * another type cannot be migrated and fails the bootstrap. Nothing is sent when the schema is
 * already complete, so starting twice changes nothing. Class-level permissions are set only when a
 * class is created (an operator's later changes are kept): public {@code find}/{@code get}/{@code
 * count}, and {@code create}/{@code update}/{@code delete}/{@code addField} for the master key only.
 */
public final class ParseSchema {
    private static final Logger log = LoggerFactory.getLogger(ParseSchema.class);

    public static final String DIAMOND = "Diamond";
    public static final String FACET = "Facet";
    public static final String DIAMOND_EVENT = "DiamondEvent";
    public static final String SYNC_STATE = "SyncState";

    /** One class: field name to Parse type (with {@code targetClass} for pointers), index name to keys. */
    public record ClassDef(String className, Map<String, ObjectNode> fields, Map<String, ObjectNode> indexes) {
    }

    /** What a bootstrap changed; {@link #isEmpty()} when the schema was already complete. */
    public record Changes(List<String> classesCreated, Map<String, List<String>> fieldsAdded,
            Map<String, List<String>> indexesAdded) {
        public boolean isEmpty() {
            return classesCreated.isEmpty() && fieldsAdded.isEmpty() && indexesAdded.isEmpty();
        }
    }

    private ParseSchema() {
    }

    /** The sink's classes: Diamond, Facet, DiamondEvent, SyncState. */
    public static List<ClassDef> classes() {
        List<ClassDef> defs = new ArrayList<>();
        defs.add(new ClassDef(DIAMOND, fields(
                "network", "String", "chainId", "Number", "address", "String", "symbol", "String", "name", "String",
                "factory", "String", "owner", "String", "facetCount", "Number", "selectorCount", "Number",
                "createdBlock", "Number", "createdTx", "String", "lastSyncedBlock", "Number",
                "lastSyncedBlockHash", "String", "pendingUpgrade", "Object", "consistent", "Boolean"),
                indexes("chainId_address", "chainId", "address")));
        Map<String, ObjectNode> facet = fields("network", "String", "chainId", "Number", "diamondAddress", "String",
                "facetAddress", "String", "position", "Number", "selectors", "Array", "functions", "Array",
                "addedBlock", "Number", "updatedBlock", "Number");
        ObjectNode pointer = JsonNodeFactory.instance.objectNode();
        pointer.put("type", "Pointer");
        pointer.put("targetClass", DIAMOND);
        Map<String, ObjectNode> facetFields = new LinkedHashMap<>();
        facetFields.put("diamond", pointer);
        facetFields.putAll(facet);
        defs.add(new ClassDef(FACET, facetFields,
                indexes("chainId_diamondAddress_position", "chainId", "diamondAddress", "position")));
        Map<String, ObjectNode> eventIndexes = new LinkedHashMap<>();
        eventIndexes.putAll(indexes("uid", "uid"));
        eventIndexes.putAll(indexes("chainId_blockNumber_logIndex", "chainId", "blockNumber", "logIndex"));
        eventIndexes.putAll(indexes("chainId_diamondAddress_blockNumber", "chainId", "diamondAddress", "blockNumber"));
        defs.add(new ClassDef(DIAMOND_EVENT, fields(
                "uid", "String", "network", "String", "chainId", "Number", "diamondAddress", "String",
                "emitter", "String", "eventType", "String", "blockNumber", "Number", "blockHash", "String",
                "transactionHash", "String", "logIndex", "Number", "args", "Object"), eventIndexes));
        defs.add(new ClassDef(SYNC_STATE, fields(
                "network", "String", "chainId", "Number", "scope", "String", "lastSyncedBlock", "Number",
                "lastSyncedBlockHash", "String", "recent", "Array"),
                indexes("chainId_scope", "chainId", "scope")));
        return defs;
    }

    /**
     * Creates or migrates every class of {@link #classes()}. Idempotent: a second run sends no
     * write and returns empty {@link Changes}.
     *
     * @throws SinkException when a field exists with an incompatible type
     */
    public static Changes ensure(ParseClient client) {
        List<String> created = new ArrayList<>();
        Map<String, List<String>> fieldsAdded = new LinkedHashMap<>();
        Map<String, List<String>> indexesAdded = new LinkedHashMap<>();
        Map<String, ObjectNode> existing = new LinkedHashMap<>();
        for (ObjectNode s : client.schemas()) {
            existing.put(s.path("className").asText(), s);
        }
        for (ClassDef def : classes()) {
            ObjectNode current = existing.get(def.className());
            if (current == null) {
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                ObjectNode f = body.putObject("fields");
                def.fields().forEach(f::set);
                ObjectNode ix = body.putObject("indexes");
                def.indexes().forEach(ix::set);
                body.set("classLevelPermissions", permissions());
                try {
                    client.createSchema(def.className(), body);
                    created.add(def.className());
                    log.info("created Parse class {}", def.className());
                    continue;
                } catch (ParseException e) {
                    if (e.parseCode() != ParseException.INVALID_CLASS_NAME) {
                        throw e;
                    }
                    // created concurrently ("Class X already exists."): migrate what is there
                    current = client.schema(def.className()).orElseThrow(() -> e);
                }
            }
            ObjectNode addFields = JsonNodeFactory.instance.objectNode();
            JsonNode have = current.path("fields");
            for (Map.Entry<String, ObjectNode> f : def.fields().entrySet()) {
                JsonNode got = have.get(f.getKey());
                if (got == null) {
                    addFields.set(f.getKey(), f.getValue());
                } else if (!got.path("type").asText().equals(f.getValue().path("type").asText())
                        || (f.getValue().has("targetClass")
                                && !got.path("targetClass").asText().equals(f.getValue().get("targetClass").asText()))) {
                    throw new SinkException("Parse class " + def.className() + " has field " + f.getKey() + " of type "
                            + got.path("type").asText() + got.path("targetClass").asText("") + " where the sink needs "
                            + f.getValue().path("type").asText() + "; migrate it by hand");
                }
            }
            ObjectNode addIndexes = JsonNodeFactory.instance.objectNode();
            JsonNode haveIx = current.path("indexes");
            for (Map.Entry<String, ObjectNode> ix : def.indexes().entrySet()) {
                if (!haveIx.has(ix.getKey()) && !sameKeysExist(haveIx, ix.getValue())) {
                    addIndexes.set(ix.getKey(), ix.getValue());
                }
            }
            if (!addFields.isEmpty() || !addIndexes.isEmpty()) {
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                if (!addFields.isEmpty()) {
                    body.set("fields", addFields);
                }
                if (!addIndexes.isEmpty()) {
                    body.set("indexes", addIndexes);
                }
                client.updateSchema(def.className(), body);
                if (!addFields.isEmpty()) {
                    fieldsAdded.put(def.className(), names(addFields));
                }
                if (!addIndexes.isEmpty()) {
                    indexesAdded.put(def.className(), names(addIndexes));
                }
                log.info("migrated Parse class {}: fields added {}, indexes added {}", def.className(),
                        names(addFields), names(addIndexes));
            }
        }
        return new Changes(List.copyOf(created), Map.copyOf(fieldsAdded), Map.copyOf(indexesAdded));
    }

    /** The class-level permissions of a created class: public read, master-key write. */
    public static ObjectNode permissions() {
        ObjectNode clp = JsonNodeFactory.instance.objectNode();
        for (String op : List.of("find", "get", "count")) {
            clp.putObject(op).put("*", true);
        }
        for (String op : List.of("create", "update", "delete", "addField")) {
            clp.putObject(op);
        }
        clp.putObject("protectedFields").putArray("*");
        return clp;
    }

    /** The definition of one class, if the sink owns it. */
    public static Optional<ClassDef> classDef(String className) {
        return classes().stream().filter(d -> d.className().equals(className)).findFirst();
    }

    private static boolean sameKeysExist(JsonNode haveIx, ObjectNode wanted) {
        for (JsonNode ix : haveIx) {
            if (ix.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(ObjectNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Map<String, ObjectNode> fields(String... nameType) {
        Map<String, ObjectNode> m = new LinkedHashMap<>();
        for (int i = 0; i < nameType.length; i += 2) {
            ObjectNode t = JsonNodeFactory.instance.objectNode();
            t.put("type", nameType[i + 1]);
            m.put(nameType[i], t);
        }
        return m;
    }

    private static Map<String, ObjectNode> indexes(String name, String... keys) {
        ObjectNode ix = JsonNodeFactory.instance.objectNode();
        for (String k : keys) {
            ix.put(k, 1);
        }
        Map<String, ObjectNode> m = new LinkedHashMap<>();
        m.put(name, ix);
        return m;
    }
}

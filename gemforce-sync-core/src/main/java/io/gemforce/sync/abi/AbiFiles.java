package io.gemforce.sync.abi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.diamond.Selector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads ABIs from JSON files. A file may hold:
 * <ul>
 *   <li>a plain ABI: a JSON array of entries;</li>
 *   <li>one artifact with an {@code "abi"} field (Hardhat, Foundry {@code out/}, Truffle, this
 *       project's {@code contracts/artifacts}), the ABI as an array or as a JSON string; named by
 *       its {@code contractName}, else the file name;</li>
 *   <li>solc's {@code --combined-json} output ({@code "contracts": {"path:Name": {"abi": ...}}});</li>
 *   <li>solc's standard-JSON output ({@code "contracts": {"path": {"Name": {"abi": ...}}}}), alone
 *       or under {@code "output"} as in Hardhat and Foundry build-info files.</li>
 * </ul>
 * Only function entries count; events, errors, constructors, fallback and receive are skipped.
 */
final class AbiFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AbiFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AbiFiles() {
    }

    /**
     * Every {@code .json} file under {@code dir}, recursively, in path order. A JSON object with no
     * ABI in it (a build manifest, a Hardhat {@code .dbg.json}) is skipped; a file that is not JSON
     * or holds a malformed ABI is an error.
     */
    static List<AbiInterface> readDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidAbiException(dir, "not a directory");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
                    .sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InvalidAbiException(dir, "cannot list the directory: " + e.getMessage(), e);
        }
        List<AbiInterface> out = new ArrayList<>();
        for (Path f : files) {
            out.addAll(read(f, false));
        }
        return out;
    }

    /** The ABIs of one file, which must hold at least one. */
    static List<AbiInterface> readFile(Path file) {
        return read(file, true);
    }

    /** The functions of an ABI given as JSON text (an array, or an object with an {@code "abi"}). */
    static AbiInterface parse(String name, String json) {
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode abi = root != null && root.isObject() && root.has("abi") ? root.get("abi") : root;
            return new AbiInterface(name, "given", functions(abiArray(abi)));
        } catch (JsonProcessingException e) {
            throw new InvalidAbiException(null, name + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (AbiTypes.BadEntry e) {
            throw new InvalidAbiException(null, name + ": " + e.getMessage(), e);
        }
    }

    private static List<AbiInterface> read(Path file, boolean required) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidAbiException(file, "not valid JSON (" + AbiTypes.shown(e.getOriginalMessage()) + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")", e);
        } catch (IOException e) {
            throw new InvalidAbiException(file, "cannot read the file: " + e.getMessage(), e);
        }
        String stem = file.getFileName().toString().replaceFirst("(?i)\\.json$", "");
        List<AbiInterface> out = new ArrayList<>();
        try {
            collect(root, stem, file.toString(), out);
        } catch (AbiTypes.BadEntry e) {
            throw new InvalidAbiException(file, e.getMessage(), e);
        }
        if (out.isEmpty()) {
            if (required) {
                throw new InvalidAbiException(file, "no ABI in it (expected a JSON array of ABI entries, an object with"
                        + " an \"abi\" field, or solc's combined or standard JSON output)");
            }
            LOG.debug("no ABI in {}; skipped", file);
        }
        return out;
    }

    private static void collect(JsonNode root, String stem, String source, List<AbiInterface> out) {
        if (root == null || root.isMissingNode()) {
            return;
        }
        if (root.isArray()) {
            out.add(new AbiInterface(stem, source, functions(root)));
            return;
        }
        if (!root.isObject()) {
            return;
        }
        if (root.has("abi")) {
            JsonNode name = root.get("contractName");
            out.add(new AbiInterface(name != null && name.isTextual() && !name.asText().isBlank() ? name.asText() : stem,
                    source, functions(abiArray(root.get("abi")))));
            return;
        }
        JsonNode contracts = root.has("contracts") ? root.get("contracts")
                : root.path("output").get("contracts");
        if (contracts == null || !contracts.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = contracts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.has("abi")) { // combined JSON: "path/File.sol:Name"
                String key = e.getKey();
                out.add(new AbiInterface(key.substring(key.lastIndexOf(':') + 1), source + "#" + key,
                        functions(abiArray(v.get("abi")))));
            } else if (v.isObject()) { // standard JSON: "path/File.sol" -> "Name"
                for (Iterator<Map.Entry<String, JsonNode>> inner = v.fields(); inner.hasNext(); ) {
                    Map.Entry<String, JsonNode> c = inner.next();
                    if (c.getValue().has("abi")) {
                        out.add(new AbiInterface(c.getKey(), source + "#" + e.getKey() + ":" + c.getKey(),
                                functions(abiArray(c.getValue().get("abi")))));
                    }
                }
            }
        }
    }

    /** The ABI array, also when an older solc gave it as a JSON string. */
    private static JsonNode abiArray(JsonNode abi) {
        JsonNode a = abi;
        if (a != null && a.isTextual()) {
            try {
                a = JSON.readTree(a.asText());
            } catch (JsonProcessingException e) {
                throw new AbiTypes.BadEntry("an \"abi\" string that is not valid JSON");
            }
        }
        if (a == null || !a.isArray()) {
            throw new AbiTypes.BadEntry("\"abi\" is not an array of ABI entries");
        }
        return a;
    }

    private static Map<Selector, String> functions(JsonNode abi) {
        Map<Selector, String> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode entry : abi) {
            if (!entry.isObject()) {
                throw new AbiTypes.BadEntry("abi[" + i + "] is not a JSON object");
            }
            if (AbiTypes.isFunction(entry)) {
                String sig;
                try {
                    sig = AbiTypes.signature(entry);
                } catch (AbiTypes.BadEntry e) {
                    throw new AbiTypes.BadEntry("abi[" + i + "]: " + e.getMessage());
                }
                String previous = out.putIfAbsent(KnownSignatures.selectorOf(sig), sig);
                if (previous != null && !previous.equals(sig)) {
                    LOG.warn("selector clash in one ABI: {} and {}; keeping the first", previous, sig);
                }
            }
            i++;
        }
        return out;
    }
}

package io.gemforce.sync.abi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Canonical function signatures from Solidity ABI JSON entries, as the ABI specification defines
 * them for selectors: the function name, then the parameter types with no names or spaces, tuples
 * written out as {@code (type,type)} followed by their array suffixes, and the aliases
 * {@code uint}, {@code int}, {@code fixed}, {@code ufixed} and {@code byte} replaced by
 * {@code uint256}, {@code int256}, {@code fixed128x18}, {@code ufixed128x18} and {@code bytes1}.
 */
final class AbiTypes {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern ARRAYS = Pattern.compile("(\\[(0|[1-9][0-9]{0,8})?\\])*");
    private static final Pattern INT = Pattern.compile("u?int([0-9]+)");
    private static final Pattern BYTES = Pattern.compile("bytes([0-9]+)");
    private static final Pattern FIXED = Pattern.compile("u?fixed([0-9]+)x([0-9]+)");
    private static final int MAX_DEPTH = 32;

    private AbiTypes() {
    }

    /** Why an ABI entry is not valid; the caller adds where it is. */
    static final class BadEntry extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadEntry(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether the entry describes a function (its {@code type} is {@code function}, or absent as the spec allows). */
    static boolean isFunction(JsonNode entry) {
        JsonNode type = entry.get("type");
        return type == null || type.isNull() || "function".equals(type.asText());
    }

    /**
     * The canonical signature of a function entry, e.g. {@code diamondCut((address,uint8,bytes4[])[],address,bytes)}.
     *
     * @throws BadEntry when the name or a parameter type is not valid
     */
    static String signature(JsonNode function) {
        if (!function.isObject()) {
            throw new BadEntry("an ABI entry must be a JSON object");
        }
        JsonNode name = function.get("name");
        if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
            throw new BadEntry("a function without a valid name");
        }
        JsonNode inputs = function.get("inputs");
        String params = inputs == null || inputs.isNull() ? "" : list(inputs, "inputs of " + name.asText(), 0);
        return name.asText() + "(" + params + ")";
    }

    private static String list(JsonNode params, String where, int depth) {
        if (!params.isArray()) {
            throw new BadEntry(where + " is not an array");
        }
        if (depth > MAX_DEPTH) {
            throw new BadEntry(where + " nests tuples deeper than " + MAX_DEPTH);
        }
        List<String> types = new ArrayList<>();
        for (JsonNode p : params) {
            types.add(type(p, where, depth));
        }
        return String.join(",", types);
    }

    private static String type(JsonNode param, String where, int depth) {
        JsonNode t = param == null ? null : param.get("type");
        if (t == null || !t.isTextual()) {
            throw new BadEntry("a parameter of " + where + " has no type");
        }
        String type = t.asText().trim();
        int bracket = type.indexOf('[');
        String base = bracket < 0 ? type : type.substring(0, bracket);
        String arrays = bracket < 0 ? "" : type.substring(bracket);
        if (!ARRAYS.matcher(arrays).matches()) {
            throw new BadEntry("unknown type '" + shown(type) + "' in " + where);
        }
        if (base.equals("tuple")) {
            JsonNode components = param.get("components");
            if (components == null) {
                throw new BadEntry("a tuple without components in " + where);
            }
            return "(" + list(components, where, depth + 1) + ")" + arrays;
        }
        return elementary(base, type, where) + arrays;
    }

    /** The canonical name of an elementary type (aliases resolved), or a {@link BadEntry}. */
    static String elementary(String base, String whole, String where) {
        switch (base) {
            case "address", "bool", "string", "bytes", "function":
                return base;
            case "uint", "int":
                return base + "256";
            case "fixed", "ufixed":
                return base + "128x18";
            case "byte":
                return "bytes1";
            default:
                break;
        }
        Matcher m = INT.matcher(base);
        if (m.matches() && bits(m.group(1))) {
            return base;
        }
        m = BYTES.matcher(base);
        if (m.matches() && inRange(m.group(1), 1, 32)) {
            return base;
        }
        m = FIXED.matcher(base);
        if (m.matches() && bits(m.group(1)) && inRange(m.group(2), 1, 80)) {
            return base;
        }
        throw new BadEntry("unknown type '" + shown(whole) + "' in " + where);
    }

    private static boolean bits(String digits) {
        return inRange(digits, 8, 256) && Integer.parseInt(digits) % 8 == 0;
    }

    private static boolean inRange(String digits, int min, int max) {
        if (digits.length() > 3 || digits.startsWith("0")) {
            return false;
        }
        int n = Integer.parseInt(digits);
        return n >= min && n <= max;
    }

    /** At most 60 printable characters of a value from a file, for messages. */
    static String shown(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}

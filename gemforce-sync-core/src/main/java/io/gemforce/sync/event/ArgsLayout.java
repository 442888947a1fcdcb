package io.gemforce.sync.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The field names of an event's stored arguments in ABI order, with the fields of its tuples
 * (a {@code FacetCut[]}'s entries, the {@code DiamondSettings} struct). {@link #canonical} puts a
 * map in that order, so that the same event serialises to the same bytes in every run and store.
 */
final class ArgsLayout {
    /** A layout with no known fields: every key is placed in lexicographic order. */
    static final ArgsLayout NONE = new ArgsLayout(List.of());

    private record Field(String name, ArgsLayout tuple) {
    }

    private final List<Field> fields;

    private ArgsLayout(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    /** Plain fields, in ABI order. */
    static ArgsLayout of(String... names) {
        List<Field> f = new ArrayList<>();
        for (String n : names) {
            f.add(new Field(n, null));
        }
        return new ArgsLayout(f);
    }

    /** This layout with one more field, a tuple (or an array of tuples) laid out as {@code tuple}. */
    ArgsLayout then(String name, ArgsLayout tuple) {
        List<Field> f = new ArrayList<>(fields);
        f.add(new Field(name, tuple));
        return new ArgsLayout(f);
    }

    /** This layout with more plain fields. */
    ArgsLayout then(String... names) {
        List<Field> f = new ArrayList<>(fields);
        for (String n : names) {
            f.add(new Field(n, null));
        }
        return new ArgsLayout(f);
    }

    List<String> names() {
        return fields.stream().map(Field::name).toList();
    }

    /**
     * An immutable deep copy of {@code args}: the known fields in ABI order, then any other key in
     * lexicographic order; nested maps laid out the same way (by their tuple's layout when known),
     * lists copied in their own order.
     */
    Map<String, Object> canonical(Map<?, ?> args) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> rest = new TreeMap<>();
        for (Map.Entry<?, ?> e : args.entrySet()) {
            rest.put(String.valueOf(e.getKey()), e.getValue());
        }
        for (Field f : fields) {
            if (rest.containsKey(f.name())) {
                out.put(f.name(), value(rest.remove(f.name()), f.tuple()));
            }
        }
        rest.forEach((k, v) -> out.put(k, value(v, null)));
        return Collections.unmodifiableMap(out);
    }

    private static Object value(Object v, ArgsLayout tuple) {
        if (v instanceof Map<?, ?> m) {
            return (tuple != null ? tuple : NONE).canonical(m);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (Object o : l) {
                copy.add(value(o, tuple));
            }
            return Collections.unmodifiableList(copy);
        }
        return v;
    }
}

package io.gemforce.sync.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Map;
import java.util.Set;
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
    /** The fields' names, shared by the maps laid out in this order. */
    private final String[] keys;

    private ArgsLayout(List<Field> fields) {
        this.fields = List.copyOf(fields);
        this.keys = fields.stream().map(Field::name).toArray(String[]::new);
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

    /** The layout of the tuple field {@code name}. */
    ArgsLayout tuple(String name) {
        for (Field f : fields) {
            if (f.name().equals(name) && f.tuple() != null) {
                return f.tuple();
            }
        }
        throw new IllegalArgumentException("no tuple field " + name);
    }

    /**
     * The canonical map of exactly this layout's fields, built without a copy: {@code values} in field
     * order, each already canonical (a string, or an immutable list of strings or of maps this method
     * made with the field's tuple layout). For events' own {@code args()}, which are built once per
     * event and kept by stores.
     */
    Map<String, Object> ofValues(Object... values) {
        if (values.length != keys.length) {
            throw new IllegalArgumentException("expected " + keys.length + " values, got " + values.length);
        }
        return new Canonical(this, keys, values);
    }

    List<String> names() {
        return fields.stream().map(Field::name).toList();
    }

    /**
     * An immutable deep copy of {@code args}: the known fields in ABI order, then any other key in
     * lexicographic order; nested maps laid out the same way (by their tuple's layout when known),
     * lists copied in their own order. A map this method returned is returned as it is.
     */
    Map<String, Object> canonical(Map<?, ?> args) {
        if (args instanceof Canonical c && c.layout == this) {
            return c;
        }
        Map<String, Object> ordered = inOrder(args);
        if (ordered != null) {
            return ordered;
        }
        Map<String, Object> rest = new TreeMap<>();
        for (Map.Entry<?, ?> e : args.entrySet()) {
            rest.put(String.valueOf(e.getKey()), e.getValue());
        }
        String[] keys = new String[rest.size()];
        Object[] values = new Object[rest.size()];
        int i = 0;
        for (Field f : fields) {
            if (rest.containsKey(f.name())) {
                keys[i] = f.name();
                values[i++] = value(rest.remove(f.name()), f.tuple());
            }
        }
        for (Map.Entry<String, Object> e : rest.entrySet()) {
            keys[i] = e.getKey();
            values[i++] = value(e.getValue(), null);
        }
        return new Canonical(this, keys, values);
    }

    /**
     * The common case without sorting: the keys are exactly this layout's fields, in its order (the
     * events' own {@code args()}, maps read back from a store that kept the order). Else null.
     */
    private Map<String, Object> inOrder(Map<?, ?> args) {
        if (args.size() != fields.size()) {
            return null;
        }
        Object[] values = new Object[keys.length];
        int i = 0;
        for (Map.Entry<?, ?> e : args.entrySet()) {
            Field f = fields.get(i);
            if (!f.name().equals(e.getKey())) {
                return null;
            }
            values[i++] = value(e.getValue(), f.tuple());
        }
        return new Canonical(this, keys, values);
    }

    private static Object value(Object v, ArgsLayout tuple) {
        if (v instanceof Map<?, ?> m) {
            return (tuple != null ? tuple : NONE).canonical(m);
        }
        if (v instanceof List<?> l) {
            Object[] copy = new Object[l.size()];
            boolean nulls = false;
            int i = 0;
            for (Object o : l) {
                copy[i] = value(o, tuple);
                nulls |= copy[i++] == null;
            }
            return nulls ? Collections.unmodifiableList(Arrays.asList(copy)) : List.of(copy);
        }
        return v;
    }

    /**
     * A map in canonical form: immutable, ordered, two arrays (the keys shared with the layout when
     * they are its fields), marked so that laying it out again costs nothing. Stores keep many of
     * these, so it is kept small.
     */
    private static final class Canonical extends AbstractMap<String, Object> {
        private final ArgsLayout layout;
        private final String[] keys;
        private final Object[] values;

        Canonical(ArgsLayout layout, String[] keys, Object[] values) {
            this.layout = layout;
            this.keys = keys;
            this.values = values;
        }

        private int indexOf(Object key) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public Object get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : values[i];
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public int size() {
            return keys.length;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keys.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= keys.length) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(keys[i], values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return keys.length;
                }
            };
        }
    }
}

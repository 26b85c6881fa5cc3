package org.parley.protocol;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;

/** Builds an instance of any protocol record with a non-default value in every field. */
final class Samples {

    static Object sample(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return List.of(sample(p.getActualTypeArguments()[0]), sample(p.getActualTypeArguments()[0]));
        }
        Class<?> c = (Class<?>) type;
        if (c == int.class) {
            return -123456;
        } else if (c == long.class) {
            return 0x0123456789ABCDEFL;
        } else if (c == boolean.class) {
            return true;
        } else if (c == String.class) {
            return "héllo ✓ 世界";
        } else if (c == byte[].class) {
            return new byte[] {1, 2, 3, (byte) 0xFF};
        } else if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return constants[constants.length - 1];
        } else if (c.isRecord()) {
            RecordComponent[] components = c.getRecordComponents();
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = sample(components[i].getGenericType());
                types[i] = components[i].getType();
            }
            try {
                return c.getConstructor(types).newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("no sample for " + type);
    }

    /**
     * {@code value} as a connection of protocol {@code version} receives it: the components of later versions
     * ({@link org.parley.protocol.codec.Since}) empty, in nested records too.
     */
    static Object asOf(Object value, int version) {
        if (value instanceof List<?> list) {
            return list.stream().map(v -> asOf(v, version)).toList();
        }
        if (!(value instanceof Record record)) {
            return value;
        }
        Class<?> c = record.getClass();
        RecordComponent[] components = c.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = org.parley.protocol.codec.WireCodec.since(components[i]) > version
                        ? empty(components[i].getType()) : asOf(components[i].getAccessor().invoke(record), version);
            }
            return c.getConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object empty(Class<?> c) {
        if (c == int.class) {
            return 0;
        } else if (c == long.class) {
            return 0L;
        } else if (c == boolean.class) {
            return false;
        } else if (c == String.class) {
            return "";
        } else if (c == List.class) {
            return List.of();
        } else if (c.isEnum()) {
            return c.getEnumConstants()[0];
        }
        throw new IllegalArgumentException("no empty value for " + c);
    }

    private Samples() {
    }
}

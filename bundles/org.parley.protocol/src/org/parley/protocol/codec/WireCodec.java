package org.parley.protocol.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Message;

/**
 * Encodes and decodes message records. A record is written as its components in declaration order:
 *
 * <ul>
 * <li>{@code boolean}: 1 byte, 0 or 1; {@code int}: 4 bytes; {@code long}: 8 bytes (big-endian)</li>
 * <li>{@code String}: varint byte length + UTF-8 (null is written as ""); {@code byte[]}: varint length + bytes</li>
 * <li>a {@link WireEnum}: its code as an unsigned 16-bit integer</li>
 * <li>{@code List<T>}: varint count + the elements; a nested record: its components, inline</li>
 * </ul>
 *
 * Forward compatibility: a decoder ignores bytes after the last component it knows, and fills components that a
 * shorter (older) message lacks at the end with zero, false, "" or an empty list. New fields are therefore only
 * ever appended to top-level messages. The codec is stateless and thread-safe.
 */
public final class WireCodec {

    private interface FieldCodec {
        void write(WireWriter w, Object value);

        Object read(WireReader r);

        /** The value an absent trailing field takes. */
        Object absent();
    }

    private static final Map<Class<?>, RecordCodec> RECORDS = new ConcurrentHashMap<>();

    private WireCodec() {
    }

    /**
     * Writes one complete frame (length, type, request id, body) to {@code w}.
     *
     * @throws IllegalArgumentException if the frame is larger than {@code maxFrameBytes}
     */
    public static void writeFrame(WireWriter w, Frame frame, int maxFrameBytes) {
        int start = w.position();
        w.writeInt(0);
        w.writeShort(MessageTypes.codeOf(frame.message().getClass()));
        w.writeInt(frame.requestId());
        recordCodec(frame.message().getClass()).write(w, frame.message());
        int length = w.position() - start - Protocol.LENGTH_BYTES;
        if (length > maxFrameBytes) {
            throw new FrameTooLargeException(length, maxFrameBytes);
        }
        w.putInt(start, length);
    }

    /** Encodes a frame into a new array; convenient for tests and tools. */
    public static byte[] encode(Frame frame) {
        WireWriter w = new WireWriter(64);
        writeFrame(w, frame, Protocol.ABSOLUTE_MAX_FRAME_BYTES);
        return w.toByteArray();
    }

    /**
     * Decodes the body of a frame whose type code is known to be registered.
     *
     * @throws MalformedFrameException if the body does not parse
     */
    public static Message decodeBody(Class<? extends Message> type, ByteBuffer body) {
        WireReader r = new WireReader(body);
        return (Message) recordCodec(type).readTopLevel(r);
    }

    /**
     * Encodes one component of a record on its own, exactly as it appears inside the record's encoding. For
     * tools (the annotated examples of docs/protocol.md, debugging), not for the hot path.
     */
    public static byte[] encodeComponent(RecordComponent component, Object value) {
        WireWriter w = new WireWriter(16);
        fieldCodec(component.getGenericType()).write(w, value);
        return w.toByteArray();
    }

    private static RecordCodec recordCodec(Class<?> type) {
        RecordCodec c = RECORDS.get(type);
        if (c == null) {
            c = new RecordCodec(type);
            RECORDS.putIfAbsent(type, c);
        }
        return c;
    }

    private static FieldCodec fieldCodec(Type generic) {
        if (generic instanceof ParameterizedType p && p.getRawType() == List.class) {
            return new ListCodec(fieldCodec(p.getActualTypeArguments()[0]));
        }
        if (!(generic instanceof Class<?> c)) {
            throw new IllegalArgumentException("unsupported wire type " + generic);
        }
        if (c == int.class) {
            return new Simple((w, v) -> w.writeInt((Integer) v), WireReader::readInt, 0);
        } else if (c == long.class) {
            return new Simple((w, v) -> w.writeLong((Long) v), WireReader::readLong, 0L);
        } else if (c == boolean.class) {
            return new Simple((w, v) -> w.writeByte((Boolean) v ? 1 : 0), WireReader::readBoolean, false);
        } else if (c == String.class) {
            return new Simple((w, v) -> w.writeString((String) v), WireReader::readString, "");
        } else if (c == byte[].class) {
            return new Simple((w, v) -> w.writeBytes((byte[]) v), WireReader::readBytes, new byte[0]);
        } else if (c.isEnum() && WireEnum.class.isAssignableFrom(c)) {
            return new EnumCodec(c);
        } else if (c.isRecord()) {
            return recordCodec(c);
        }
        throw new IllegalArgumentException("unsupported wire type " + c.getName());
    }

    private interface Writer {
        void write(WireWriter w, Object v);
    }

    private interface Reader {
        Object read(WireReader r);
    }

    private record Simple(Writer writer, Reader reader, Object absent) implements FieldCodec {
        @Override
        public void write(WireWriter w, Object value) {
            writer.write(w, value);
        }

        @Override
        public Object read(WireReader r) {
            return reader.read(r);
        }
    }

    private static final class EnumCodec implements FieldCodec {
        private final Map<Integer, Object> byCode = new HashMap<>();
        private final Object first;
        private final Class<?> type;

        EnumCodec(Class<?> type) {
            this.type = type;
            for (Object constant : type.getEnumConstants()) {
                byCode.put(((WireEnum) constant).wireCode(), constant);
            }
            first = type.getEnumConstants()[0];
        }

        @Override
        public void write(WireWriter w, Object value) {
            w.writeShort(((WireEnum) (value == null ? first : value)).wireCode());
        }

        @Override
        public Object read(WireReader r) {
            int code = r.readUnsignedShort();
            Object v = byCode.get(code);
            if (v == null) {
                throw new MalformedFrameException("unknown " + type.getSimpleName() + " code " + code);
            }
            return v;
        }

        @Override
        public Object absent() {
            return first;
        }
    }

    private static final class ListCodec implements FieldCodec {
        private final FieldCodec element;

        ListCodec(FieldCodec element) {
            this.element = element;
        }

        @Override
        public void write(WireWriter w, Object value) {
            List<?> list = value == null ? List.of() : (List<?>) value;
            w.writeVarInt(list.size());
            for (Object o : list) {
                element.write(w, o);
            }
        }

        @Override
        public Object read(WireReader r) {
            int n = r.readCount();
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(element.read(r));
            }
            return Collections.unmodifiableList(list);
        }

        @Override
        public Object absent() {
            return List.of();
        }
    }

    private static final class RecordCodec implements FieldCodec {
        private final MethodHandle[] accessors;
        private volatile FieldCodec[] fields;
        private final Type[] types;
        private final MethodHandle constructor;

        RecordCodec(Class<?> type) {
            if (!type.isRecord()) {
                throw new IllegalArgumentException(type + " is not a record");
            }
            RecordComponent[] components = type.getRecordComponents();
            accessors = new MethodHandle[components.length];
            types = new Type[components.length];
            Class<?>[] raw = new Class<?>[components.length];
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            try {
                for (int i = 0; i < components.length; i++) {
                    accessors[i] = lookup.unreflect(components[i].getAccessor())
                            .asType(MethodType.methodType(Object.class, Object.class));
                    types[i] = components[i].getGenericType();
                    raw[i] = components[i].getType();
                }
                constructor = lookup.findConstructor(type, MethodType.methodType(void.class, raw))
                        .asType(MethodType.methodType(Object.class, raw).generic())
                        .asSpreader(Object[].class, components.length);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot access record " + type.getName(), e);
            }
        }

        /** Resolved lazily, so that a record may (indirectly) contain itself without recursing forever. */
        private FieldCodec[] fields() {
            FieldCodec[] f = fields;
            if (f == null) {
                f = new FieldCodec[types.length];
                for (int i = 0; i < types.length; i++) {
                    f[i] = fieldCodec(types[i]);
                }
                fields = f;
            }
            return f;
        }

        @Override
        public void write(WireWriter w, Object value) {
            FieldCodec[] f = fields();
            try {
                for (int i = 0; i < f.length; i++) {
                    f[i].write(w, accessors[i].invokeExact(value));
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public Object read(WireReader r) {
            return read(r, false);
        }

        Object readTopLevel(WireReader r) {
            return read(r, true);
        }

        private Object read(WireReader r, boolean lenientEnd) {
            FieldCodec[] f = fields();
            Object[] args = new Object[f.length];
            for (int i = 0; i < f.length; i++) {
                args[i] = lenientEnd && r.remaining() == 0 ? f[i].absent() : f[i].read(r);
            }
            try {
                return constructor.invoke(args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public Object absent() {
            FieldCodec[] f = fields();
            Object[] args = new Object[f.length];
            for (int i = 0; i < f.length; i++) {
                args[i] = f[i].absent();
            }
            try {
                return constructor.invoke(args);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}

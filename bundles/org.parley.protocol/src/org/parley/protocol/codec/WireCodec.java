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
 * Encodes and decodes message records, in a given protocol version. A record is written as its components in
 * declaration order:
 *
 * <ul>
 * <li>{@code boolean}: 1 byte, 0 or 1; {@code int}: 4 bytes; {@code long}: 8 bytes (big-endian)</li>
 * <li>{@code String}: varint byte length + UTF-8 (null is written as ""); {@code byte[]}: varint length + bytes</li>
 * <li>a {@link WireEnum}: its code as an unsigned 16-bit integer</li>
 * <li>{@code List<T>}: varint count + the elements</li>
 * <li>a nested record: in version 1 its components, inline; from version 2 a varint length, then its components</li>
 * </ul>
 *
 * A component marked {@link Since} is left out of the encoding (and takes its empty value when decoding) in the
 * versions before it. A record that is {@link VersionAware} is asked, before it is written, what to write in place
 * of itself in the connection's version.
 *
 * <p>Forward compatibility: a decoder ignores bytes after the last component it knows, and fills components that a
 * shorter (older) message lacks at the end with zero, false, "", an empty list or an enum's first constant. In
 * version 1 this holds for top-level messages only, so new fields are only ever appended to them; from version 2
 * it holds for every nested record too, within the bounds of its length. The codec is stateless and thread-safe.
 */
public final class WireCodec {

    private interface FieldCodec {
        void write(WireWriter w, Object value, int version);

        Object read(WireReader r, int version);

        /** The value an absent trailing field takes. */
        Object absent();
    }

    private static final Map<Class<?>, RecordCodec> RECORDS = new ConcurrentHashMap<>();

    private WireCodec() {
    }

    /** The version in which nested records got a length prefix of their own. */
    public static final int LENGTH_PREFIXED_RECORDS = 2;

    /**
     * Writes one complete frame (length, type, request id, body) to {@code w}, in protocol version 1.
     *
     * @throws IllegalArgumentException if the frame is larger than {@code maxFrameBytes}
     */
    public static void writeFrame(WireWriter w, Frame frame, int maxFrameBytes) {
        writeFrame(w, frame, maxFrameBytes, 1);
    }

    /**
     * Writes one complete frame (length, type, request id, body) to {@code w}, in protocol {@code version}.
     *
     * @throws IllegalArgumentException if the frame is larger than {@code maxFrameBytes}
     */
    public static void writeFrame(WireWriter w, Frame frame, int maxFrameBytes, int version) {
        int start = w.position();
        w.writeInt(0);
        w.writeShort(MessageTypes.codeOf(frame.message().getClass()));
        w.writeInt(frame.requestId());
        recordCodec(frame.message().getClass()).writeTopLevel(w, frame.message(), version);
        int length = w.position() - start - Protocol.LENGTH_BYTES;
        if (length > maxFrameBytes) {
            throw new FrameTooLargeException(length, maxFrameBytes);
        }
        w.putInt(start, length);
    }

    /** Encodes a frame in protocol version 1 into a new array; convenient for tests and tools. */
    public static byte[] encode(Frame frame) {
        return encode(frame, 1);
    }

    /** Encodes a frame in protocol {@code version} into a new array; convenient for tests and tools. */
    public static byte[] encode(Frame frame, int version) {
        WireWriter w = new WireWriter(64);
        writeFrame(w, frame, Protocol.ABSOLUTE_MAX_FRAME_BYTES, version);
        return w.toByteArray();
    }

    /**
     * Decodes, in protocol version 1, the body of a frame whose type code is known to be registered.
     *
     * @throws MalformedFrameException if the body does not parse
     */
    public static Message decodeBody(Class<? extends Message> type, ByteBuffer body) {
        return decodeBody(type, body, 1);
    }

    /**
     * Decodes, in protocol {@code version}, the body of a frame whose type code is known to be registered.
     *
     * @throws MalformedFrameException if the body does not parse
     */
    public static Message decodeBody(Class<? extends Message> type, ByteBuffer body, int version) {
        WireReader r = new WireReader(body);
        return (Message) recordCodec(type).readTopLevel(r, version);
    }

    /**
     * Encodes one component of a record on its own, in protocol version 1, exactly as it appears inside the
     * record's encoding. For tools (the annotated examples of docs/protocol.md, debugging), not for the hot path.
     */
    public static byte[] encodeComponent(RecordComponent component, Object value) {
        return encodeComponent(component, value, 1);
    }

    /** {@link #encodeComponent(RecordComponent, Object)} in protocol {@code version}. */
    public static byte[] encodeComponent(RecordComponent component, Object value, int version) {
        WireWriter w = new WireWriter(16);
        fieldCodec(component.getGenericType()).write(w, value, version);
        return w.toByteArray();
    }

    /** The protocol version a record component first appeared in ({@link Since}; 1 when not marked). */
    public static int since(RecordComponent component) {
        Since since = component.getAnnotation(Since.class);
        return since == null ? 1 : since.value();
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
        public void write(WireWriter w, Object value, int version) {
            writer.write(w, value);
        }

        @Override
        public Object read(WireReader r, int version) {
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
        public void write(WireWriter w, Object value, int version) {
            w.writeShort(((WireEnum) (value == null ? first : value)).wireCode());
        }

        @Override
        public Object read(WireReader r, int version) {
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
        public void write(WireWriter w, Object value, int version) {
            List<?> list = value == null ? List.of() : (List<?>) value;
            w.writeVarInt(list.size());
            for (Object o : list) {
                element.write(w, o, version);
            }
        }

        @Override
        public Object read(WireReader r, int version) {
            int n = r.readCount();
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(element.read(r, version));
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
        private final int[] since;
        private final MethodHandle constructor;

        RecordCodec(Class<?> type) {
            if (!type.isRecord()) {
                throw new IllegalArgumentException(type + " is not a record");
            }
            RecordComponent[] components = type.getRecordComponents();
            accessors = new MethodHandle[components.length];
            types = new Type[components.length];
            since = new int[components.length];
            Class<?>[] raw = new Class<?>[components.length];
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            try {
                for (int i = 0; i < components.length; i++) {
                    accessors[i] = lookup.unreflect(components[i].getAccessor())
                            .asType(MethodType.methodType(Object.class, Object.class));
                    types[i] = components[i].getGenericType();
                    raw[i] = components[i].getType();
                    since[i] = since(components[i]);
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

        /** As a field of another record: from version 2 with a length of its own. */
        @Override
        public void write(WireWriter w, Object value, int version) {
            if (version < LENGTH_PREFIXED_RECORDS) {
                writeTopLevel(w, value, version);
                return;
            }
            int start = w.position();
            writeTopLevel(w, value, version);
            w.insertVarInt(start, w.position() - start);
        }

        /** The components only (a frame's body; a nested record's in version 1). */
        void writeTopLevel(WireWriter w, Object value, int version) {
            if (value instanceof VersionAware aware) {
                value = aware.forVersion(version);
            }
            FieldCodec[] f = fields();
            try {
                for (int i = 0; i < f.length; i++) {
                    if (since[i] <= version) {
                        f[i].write(w, accessors[i].invokeExact(value), version);
                    }
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /**
         * As a field of another record: in version 1 every component must be there; from version 2 the record's
         * length bounds it, and within it, as in a frame's body, missing components at the end are empty and bytes
         * after the known ones are skipped.
         */
        @Override
        public Object read(WireReader r, int version) {
            if (version < LENGTH_PREFIXED_RECORDS) {
                return read(r, version, false);
            }
            int length = r.readCount();
            return read(r.slice(length), version, true);
        }

        Object readTopLevel(WireReader r, int version) {
            return read(r, version, true);
        }

        private Object read(WireReader r, int version, boolean lenientEnd) {
            FieldCodec[] f = fields();
            Object[] args = new Object[f.length];
            for (int i = 0; i < f.length; i++) {
                args[i] = since[i] > version || lenientEnd && r.remaining() == 0 ? f[i].absent()
                        : f[i].read(r, version);
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

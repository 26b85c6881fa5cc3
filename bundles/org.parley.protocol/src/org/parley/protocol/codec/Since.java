package org.parley.protocol.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The protocol version a record component first appeared in. A connection of an older version neither writes nor
 * reads it: the component takes its empty value (0, false, "", an empty list, an enum's first constant) there. Only
 * components after the last component of the older version may carry it, so that the older encoding is unchanged.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Since {

    /** The first protocol version that carries the component. */
    int value();
}

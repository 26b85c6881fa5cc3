/**
 * Every message of the protocol as a Java record, grouped by area ({@link org.parley.protocol.message.Session},
 * {@link org.parley.protocol.message.Accounts}, {@link org.parley.protocol.message.Contacts},
 * {@link org.parley.protocol.message.Conversations}, {@link org.parley.protocol.message.Chat}). A record's
 * components, in declaration order, are its fields on the wire; type codes are assigned in
 * {@link org.parley.protocol.MessageTypes}.
 */
package org.parley.protocol.message;

package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.parley.protocol.codec.MalformedFrameException;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Conversations.Member;
import org.parley.protocol.message.Conversations.Role;
import org.parley.protocol.message.Message;

/** Protocol version 2: nested records are length-prefixed and may grow; version 1's bytes stay as they were. */
class WireCodecVersion2Test {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] body(Message m, int version) {
        byte[] frame = WireCodec.encode(new Frame(0, m), version);
        return Arrays.copyOfRange(frame, Protocol.LENGTH_BYTES + Protocol.HEADER_BYTES, frame.length);
    }

    private static Message decode(Class<? extends Message> type, byte[] body, int version) {
        return WireCodec.decodeBody(type, ByteBuffer.wrap(body), version);
    }

    private static Conversations.ConversationInfo group(Member... members) {
        return new Conversations.ConversationInfo(7, Conversations.Kind.GROUP, "team", List.of(members), 9, 4, 5);
    }

    @Test
    void aNestedRecordIsItsLengthThenItsFields() {
        var info = group(new Member("ann", 3, 2, Role.ADMIN));
        byte[] v2 = body(new Conversations.ConversationUpdated(info), 2);
        // ConversationInfo: length 0x47; Member: length 0x16 = name (4) + two longs (16) + role (2); the last
        // long is the reaction revision.
        assertThat(HEX.formatHex(v2)).isEqualTo("47" + "0000000000000007" + "0001" + "047465616d" + "01"
                + "16" + "03616e6e" + "0000000000000003" + "0000000000000002" + "0001"
                + "0000000000000009" + "0000000000000004" + "0000000000000005" + "0000000000000000");
    }

    @Test
    void version1HasNoLengthsAndNoRoles() {
        var admin = new Conversations.ConversationUpdated(group(new Member("ann", 3, 2, Role.ADMIN)));
        var member = new Conversations.ConversationUpdated(group(new Member("ann", 3, 2)));
        byte[] v1 = body(admin, 1);
        assertThat(v1).isEqualTo(body(member, 1));
        assertThat(HEX.formatHex(v1)).isEqualTo("0000000000000007" + "0001" + "047465616d" + "01"
                + "03616e6e" + "0000000000000003" + "0000000000000002"
                + "0000000000000009" + "0000000000000004" + "0000000000000005");
        assertThat(((Conversations.ConversationUpdated) decode(Conversations.ConversationUpdated.class, v1, 1))
                .conversation().members().get(0).role()).isEqualTo(Role.MEMBER);
    }

    @Test
    void fieldsANewerPeerAddedToANestedRecordAreSkipped() {
        // A member record of a later version: three unknown bytes after the role, inside its length.
        byte[] member = HEX.parseHex("19" + "03616e6e" + "0000000000000003" + "0000000000000002" + "0001" + "abcdef");
        byte[] list = concat(HEX.parseHex("02"), member, member);
        Message page = decode(Conversations.ConversationInfo.class, concat(HEX.parseHex("0000000000000007" + "0001"
                + "047465616d"), list, HEX.parseHex("0000000000000009" + "0000000000000004" + "0000000000000005")),
                2);
        assertThat(page).isEqualTo(group(new Member("ann", 3, 2, Role.ADMIN), new Member("ann", 3, 2, Role.ADMIN)));
    }

    @Test
    void fieldsAnOlderPeerDidNotSendInANestedRecordTakeTheirEmptyValue() {
        // A member record without its role (as a version 2 peer that knew no roles would send it).
        byte[] member = HEX.parseHex("14" + "03616e6e" + "0000000000000003" + "0000000000000002");
        Message info = decode(Conversations.ConversationInfo.class, concat(HEX.parseHex("0000000000000007" + "0001"
                + "047465616d" + "01"), member, HEX.parseHex("0000000000000009")), 2);
        assertThat(info).isEqualTo(new Conversations.ConversationInfo(7, Conversations.Kind.GROUP, "team",
                List.of(new Member("ann", 3, 2, Role.MEMBER)), 9, 0, 0));
    }

    @Test
    void aNestedLengthBeyondTheFrameIsMalformed() {
        byte[] body = HEX.parseHex("01" + "7f" + "03616e6e");
        assertThatThrownBy(() -> decode(Contacts.UserList.class, body, 2))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void aNestedRecordCutInsideItsLengthIsMalformed() {
        // UserInfo of length 3 whose user name claims 5 bytes: the read may not run on into what follows.
        byte[] body = HEX.parseHex("02" + "03" + "05616e" + "0a" + "03626f62" + "00" + "0000" + "00");
        assertThatThrownBy(() -> decode(Contacts.UserList.class, body, 2))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("truncated");
    }

    @Test
    void aMessageWithNestedRecordsDiffersBetweenVersionsButOthersDoNot() {
        var typing = new Chat.Typing(5, true);
        assertThat(body(typing, 2)).isEqualTo(body(typing, 1));
        var page = new Chat.MessagePage(42, List.of(new Chat.ChatMessage(42, 13, 1, "ann", "x", Chat.Kind.TEXT,
                "hi", List.of())), false);
        assertThat(body(page, 2)).isNotEqualTo(body(page, 1));
        assertThat(decode(Chat.MessagePage.class, body(page, 2), 2)).isEqualTo(page);
        assertThat(decode(Chat.MessagePage.class, body(page, 1), 1)).isEqualTo(page);
    }

    @Test
    void editsDeletionsAndTombstonesTravelInVersion2AndBecomeSystemLinesInVersion1() {
        var edit = new Chat.ChatMessage(42, 14, 20, "ann", "e1", Chat.Kind.EDIT, "hi Bob!", List.of(), 0, false, 13);
        var delete = new Chat.ChatMessage(42, 15, 30, "ann", "d1", Chat.Kind.DELETE, "", List.of(), 0, false, 13);
        var tombstone = new Chat.ChatMessage(42, 13, 10, "ann", "m1", Chat.Kind.TEXT, "", List.of(), 20, true, 0);
        var page = new Chat.MessagePage(42, List.of(tombstone, edit, delete), false);
        assertThat(decode(Chat.MessagePage.class, body(page, 2), 2)).isEqualTo(page);
        var v1 = (Chat.MessagePage) decode(Chat.MessagePage.class, body(page, 1), 1);
        assertThat(v1.messages()).extracting(Chat.ChatMessage::seq, Chat.ChatMessage::kind, Chat.ChatMessage::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(13L, Chat.Kind.SYSTEM,
                        "This message was deleted."),
                        org.assertj.core.groups.Tuple.tuple(14L, Chat.Kind.SYSTEM, "ann edited a message"),
                        org.assertj.core.groups.Tuple.tuple(15L, Chat.Kind.SYSTEM, "ann deleted a message"));
        var plain = new Chat.ChatMessage(42, 12, 5, "ann", "m0", Chat.Kind.TEXT, "hi", List.of(), 7, false, 0);
        assertThat(decode(Chat.NewMessage.class, body(new Chat.NewMessage(plain), 1), 1))
                .isEqualTo(new Chat.NewMessage(new Chat.ChatMessage(42, 12, 5, "ann", "m0", Chat.Kind.TEXT, "hi",
                        List.of())));
    }

    @Test
    void theVersionIsTheHighestBothSpeak() {
        assertThat(Protocol.negotiate(1, 1, 1, 2)).isEqualTo(1);
        assertThat(Protocol.negotiate(1, 2, 1, 2)).isEqualTo(2);
        assertThat(Protocol.negotiate(1, 9, 1, 2)).isEqualTo(2);
        assertThat(Protocol.negotiate(2, 2, 1, 1)).isZero();
        assertThat(Protocol.negotiate(3, 4, 1, 2)).isZero();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}

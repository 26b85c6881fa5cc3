package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Reactions;
import org.parley.protocol.message.Search;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;

/**
 * Keeps the message catalogue of docs/protocol.md true: it is generated from the records and the codec. When a
 * message changes, this test fails; regenerate with {@code -Dparley.updateDocs=true} and review the diff.
 */
class ProtocolDocTest {

    private static final String BEGIN = "<!-- BEGIN GENERATED MESSAGE CATALOGUE -->";
    private static final String END = "<!-- END GENERATED MESSAGE CATALOGUE -->";
    private static final String BEGIN_V2 = "<!-- BEGIN GENERATED VERSION 2 EXAMPLES -->";
    private static final String END_V2 = "<!-- END GENERATED VERSION 2 EXAMPLES -->";
    private static final Path DOC = Path.of("../../docs/protocol.md");

    private static final UserInfoSamples U = new UserInfoSamples();

    /** One realistic example per message type. */
    static Map<Class<? extends Message>, Frame> examples() {
        var m = new LinkedHashMap<Class<? extends Message>, Frame>();
        var ann = new Conversations.Member("ann", 12, 12);
        var bob = new Conversations.Member("bob", 12, 10);
        var info = new Conversations.ConversationInfo(42, Conversations.Kind.DIRECT, "", List.of(ann, bob), 12, 2,
                1_764_000_000_000L);
        var msg = new Chat.ChatMessage(42, 13, 1_764_000_123_456L, "ann", "5f0c1a9e", Chat.Kind.TEXT, "hi Bob",
                List.of());
        put(m, 1, new Session.Hello(1, 1, "parley-rcp/0.1"));
        put(m, 1, new Session.Welcome(1, "parley/0.1", 1_048_576, 65_536, 1_764_000_000_000L));
        put(m, 7, new Session.ErrorReply(ErrorCode.UNKNOWN_CONVERSATION, "no conversation 42 that you are a member of"));
        put(m, 9, new Session.Ok());
        put(m, 0, new Session.Ping(77));
        put(m, 0, new Session.Pong(77));
        put(m, 2, new Accounts.Register("ann", "correct horse", "Ann Lee", "laptop", "K7QX2-MZ9TR-4HWPA-E3NBV"));
        put(m, 2, new Accounts.Login("ann", "correct horse", "laptop"));
        put(m, 2, new Accounts.Resume("q3ZkT0k9sW2xYvB1nR7pLm4aHc8dUe6f", "laptop"));
        put(m, 2, new Accounts.LoggedIn("ann", "Ann Lee", "q3ZkT0k9sW2xYvB1nR7pLm4aHc8dUe6f", 1_766_592_000_000L, false));
        put(m, 3, new Accounts.Logout());
        put(m, 4, new Accounts.DisableAccount("mallory"));
        put(m, 5, new Accounts.ChangePassword("correct horse", "battery staple"));
        put(m, 2, new Accounts.ResetPassword("bob", "R4TN8-XW2KP-9MZQA-H6EJD", "battery staple", "phone"));
        put(m, 5, new Contacts.SearchUsers("bo", 20));
        put(m, 5, new Contacts.UserList(List.of(U.bob)));
        put(m, 6, new Contacts.ListContacts());
        put(m, 6, new Contacts.ContactList(List.of(U.bob), List.of(U.cat), List.of()));
        put(m, 8, new Contacts.RequestContact("cat"));
        put(m, 9, new Contacts.AnswerContact("cat", true));
        put(m, 10, new Contacts.RemoveContact("bob"));
        put(m, 11, new Contacts.SetPresence(Contacts.Presence.AWAY, "at lunch"));
        put(m, 0, new Contacts.ContactRequested(U.ann));
        put(m, 0, new Contacts.ContactAdded(U.cat));
        put(m, 0, new Contacts.ContactDeclined("dan"));
        put(m, 0, new Contacts.ContactRemoved("bob"));
        put(m, 0, new Contacts.PresenceChanged("bob", Contacts.Presence.ONLINE, ""));
        put(m, 47, new Contacts.SetDisplayName("Ann Archer"));
        put(m, 0, new Contacts.DisplayNameChanged("ann", "Ann Archer"));
        put(m, 12, info);
        put(m, 12, new Conversations.OpenDirect("bob"));
        put(m, 13, new Conversations.CreateGroup("Release team", List.of("bob", "cat")));
        put(m, 14, new Conversations.Rename(43, "Release 0.2"));
        put(m, 15, new Conversations.AddMembers(43, List.of("dan")));
        put(m, 16, new Conversations.RemoveMember(43, "dan"));
        put(m, 17, new Conversations.Leave(43));
        put(m, 38, new Conversations.SetRole(43, "bob", Conversations.Role.ADMIN));
        put(m, 18, new Conversations.ListConversations());
        put(m, 18, new Conversations.ConversationList(List.of(info)));
        put(m, 0, new Conversations.ConversationUpdated(info));
        put(m, 0, new Conversations.ConversationRemoved(43));
        put(m, 19, new Chat.Send(42, "5f0c1a9e", Chat.Kind.TEXT, "hi Bob", List.of()));
        put(m, 19, new Chat.Sent(42, "5f0c1a9e", 13, 1_764_000_123_456L, false));
        put(m, 0, new Chat.NewMessage(msg));
        put(m, 20, new Chat.FetchAfter(42, 10, 100));
        put(m, 21, new Chat.FetchBefore(42, 0, 50));
        put(m, 20, new Chat.MessagePage(42, List.of(msg), false));
        put(m, 0, new Chat.MarkDelivered(42, 13));
        put(m, 0, new Chat.MarkRead(42, 13));
        put(m, 0, new Chat.ReceiptChanged(42, "bob", 13, 13));
        put(m, 0, new Chat.Typing(42, true));
        put(m, 0, new Chat.TypingChanged(42, "ann", true));
        var thumbs = new Reactions.Reaction("\uD83D\uDC4D", List.of("bob", "cat"));
        put(m, 44, new Reactions.AddReaction(42, 13, "\uD83D\uDC4D"));
        put(m, 45, new Reactions.RemoveReaction(42, 13, "\uD83C\uDF89"));
        put(m, 44, new Reactions.ReactionChanged(42, 13, "bob", "\uD83D\uDC4D", true, true, 7, List.of(thumbs)));
        put(m, 46, new Reactions.FetchReactions(42, 5, 100));
        put(m, 46, new Reactions.ReactionUpdates(42, List.of(new Reactions.MessageReactions(13, List.of(thumbs)),
                new Reactions.MessageReactions(9, List.of())), 7, false));
        put(m, 44, new Chat.Edit(42, 13, "9b2e77d0", "hi Bob!"));
        put(m, 45, new Chat.Delete(42, 13, "d41c03aa"));
        String sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        var photo = new Chat.Attachment("Jx3kQ9v2LmN8pR4sT6wYbA", "harbour.jpg", "image/jpeg", 2_481_002, sha, 4032,
                3024, 0, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9});
        put(m, 22, new Transfers.UploadStart(42, "c1d2e3f4", "harbour.jpg", "image/jpeg", 2_481_002, sha, false));
        put(m, 22, new Transfers.UploadReady("u7Hq2xK9", 0, 262_144));
        put(m, 23, new Transfers.UploadChunk("u7Hq2xK9", 0, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}));
        put(m, 24, new Transfers.UploadFinish("u7Hq2xK9", "the harbour at dawn", 0, 0, 0, new byte[0]));
        put(m, 24, new Transfers.UploadDone(photo, new Chat.Sent(42, "c1d2e3f4", 14, 1_764_000_200_000L, false)));
        put(m, 25, new Transfers.UploadCancel("u7Hq2xK9"));
        put(m, 26, new Transfers.FetchChunk("Jx3kQ9v2LmN8pR4sT6wYbA", 262_144, 262_144));
        put(m, 26, new Transfers.FileChunk("Jx3kQ9v2LmN8pR4sT6wYbA", 262_144, new byte[] {0x12, 0x34, 0x56}));
        put(m, 27, new Transfers.StatFile("Jx3kQ9v2LmN8pR4sT6wYbA"));
        put(m, 27, new Transfers.FileInfo(42, photo));
        put(m, 30, new Admin.CreateInvitation());
        put(m, 30, new Admin.InvitationCreated(3, "K7QX2-MZ9TR-4HWPA-E3NBV", 1_764_604_800_000L));
        put(m, 31, new Admin.ListInvitations());
        put(m, 31, new Admin.InvitationList(List.of(new Admin.InvitationInfo(3, "root", 1_764_000_000_000L,
                1_764_604_800_000L, "ann", 1_764_000_300_000L, false))));
        put(m, 32, new Admin.RevokeInvitation(4));
        put(m, 33, new Admin.CreateAccount("dan", "battery staple", "Dan Wu"));
        put(m, 34, new Admin.CreatePasswordReset("bob"));
        put(m, 34, new Admin.PasswordResetCode("bob", "R4TN8-XW2KP-9MZQA-H6EJD", 1_764_086_400_000L));
        put(m, 35, new Admin.SetAdmin("ann", true));
        put(m, 36, new Admin.EnableAccount("mallory"));
        put(m, 37, new Admin.ReadAuditLog(0, 50));
        put(m, 37, new Admin.AuditPage(List.of(new Admin.AuditEntry(12, 1_764_000_400_000L, "root", "make-admin",
                "ann", "")), false));
        put(m, 38, new Admin.ListUsers("an", "", 50));
        put(m, 38, new Admin.UserPage(List.of(new Admin.UserSummary("ann", "Ann Lee", true, false,
                1_764_000_000_000L, 1_764_000_500_000L, 1_048_576, 2)), false));
        put(m, 39, new Admin.ListGroups(0, 20));
        put(m, 39, new Admin.GroupPage(List.of(new Admin.GroupSummary(7, "Design", 1_764_000_000_000L, 120, 2,
                List.of("ann", "bob"))), false));
        put(m, 40, new Admin.DeleteGroup(7));
        put(m, 41, new Admin.GetServerStatus());
        put(m, 41, new Admin.ServerStatus("parley/0.1", 1_764_000_000_000L, 1_764_003_600_000L, 12, 9, 40,
                734_003_200L, 52_428_800_000L, 10_737_418_240L));
        var found = new Chat.ChatMessage(42, 9, 1_763_990_000_000L, "bob", "8a1f", Chat.Kind.TEXT, "Café at noon?",
                List.of());
        put(m, 42, new Search.SearchMessages("cafe", 0, "", 20));
        put(m, 42, new Search.SearchResults(List.of(new Search.SearchHit(found, List.of(new Search.Highlight(-1, 0,
                4)))), "1763990000000.42.9", true));
        put(m, 43, new Search.FetchAround(42, 9, 1, 1));
        var answer = new Chat.ChatMessage(42, 10, 1_763_990_060_000L, "ann", "c77e", Chat.Kind.TEXT, "yes!",
                List.of());
        put(m, 43, new Search.AroundPage(42, List.of(found, answer), true, true));
        return m;
    }

    /**
     * Examples of version 2, for the messages whose encoding differs from version 1 (those holding nested
     * records), with roles where version 2 has them.
     */
    static List<Frame> version2Examples() {
        var ann = new Conversations.Member("ann", 12, 12, Conversations.Role.ADMIN);
        var bob = new Conversations.Member("bob", 12, 10, Conversations.Role.MEMBER);
        var info = new Conversations.ConversationInfo(43, Conversations.Kind.GROUP, "Release team", List.of(ann, bob),
                12, 2, 1_764_000_000_000L);
        var msg = new Chat.ChatMessage(42, 13, 1_764_000_123_456L, "ann", "5f0c1a9e", Chat.Kind.TEXT, "hi Bob",
                List.of());
        var reacted = new Chat.ChatMessage(42, 12, 1_764_000_100_000L, "bob", "77ab", Chat.Kind.TEXT, "ship it?",
                List.of(), List.of(new Reactions.Reaction("\uD83D\uDC4D", List.of("ann"))));
        var edit = new Chat.ChatMessage(42, 14, 1_764_000_180_000L, "ann", "9b2e77d0", Chat.Kind.EDIT, "hi Bob!",
                List.of(), 0, false, 13);
        var delete = new Chat.ChatMessage(42, 15, 1_764_000_240_000L, "ann", "d41c03aa", Chat.Kind.DELETE, "",
                List.of(), 0, false, 13);
        var tombstone = new Chat.ChatMessage(42, 13, 1_764_000_123_456L, "ann", "5f0c1a9e", Chat.Kind.TEXT, "",
                List.of(), 1_764_000_180_000L, true, 0);
        return List.of(new Frame(1, new Session.Hello(1, 2, "parley-rcp/0.2")),
                new Frame(1, new Session.Welcome(2, "parley/0.2", 1_048_576, 65_536, 1_764_000_000_000L)),
                new Frame(0, new Conversations.ConversationUpdated(info)),
                new Frame(18, new Conversations.ListConversations(42, 0)),
                new Frame(18, new Conversations.ConversationList(List.of(info), true)),
                new Frame(0, new Chat.NewMessage(msg)),
                new Frame(20, new Chat.MessagePage(42, List.of(reacted), false)),
                new Frame(44, new Reactions.ReactionChanged(42, 12, "cat", "\uD83C\uDF89", true, true, 8,
                        List.of(new Reactions.Reaction("\uD83D\uDC4D", List.of("ann")),
                                new Reactions.Reaction("\uD83C\uDF89", List.of("cat"))))),
                new Frame(0, new Chat.NewMessage(edit)),
                new Frame(0, new Chat.NewMessage(delete)),
                new Frame(20, new Chat.MessagePage(42, List.of(tombstone, edit, delete), false)),
                new Frame(5, new Contacts.UserList(List.of(U.bob))));
    }

    private static final class UserInfoSamples {
        final Contacts.UserInfo ann = new Contacts.UserInfo("ann", "Ann Lee", Contacts.Presence.ONLINE, "");
        final Contacts.UserInfo bob = new Contacts.UserInfo("bob", "Bob Roy", Contacts.Presence.AWAY, "at lunch");
        final Contacts.UserInfo cat = new Contacts.UserInfo("cat", "Cat Ng", Contacts.Presence.OFFLINE, "");
    }

    private static void put(Map<Class<? extends Message>, Frame> m, int requestId, Message message) {
        m.put(message.getClass(), new Frame(requestId, message));
    }

    @Test
    void everyMessageTypeHasAnExample() {
        assertThat(examples().keySet()).containsExactlyInAnyOrderElementsOf(MessageTypes.all().values());
    }

    @Test
    void theCatalogueInDocsProtocolIsUpToDate() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("markers in " + DOC).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String generated = render();
        String current = doc.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("parley.updateDocs")) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + generated + doc.substring(end));
            return;
        }
        assertThat(current).as("docs/protocol.md is out of date: run the protocol tests with "
                + "-Dparley.updateDocs=true and review the diff").isEqualTo(generated);
    }

    @Test
    void theVersion2ExamplesInDocsProtocolAreUpToDate() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN_V2);
        int end = doc.indexOf(END_V2);
        assertThat(begin).as("markers in " + DOC).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String generated = renderVersion2();
        if (Boolean.getBoolean("parley.updateDocs")) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN_V2.length()) + generated + doc.substring(end));
            return;
        }
        assertThat(doc.substring(begin + BEGIN_V2.length(), end)).as("docs/protocol.md is out of date: run the "
                + "protocol tests with -Dparley.updateDocs=true and review the diff").isEqualTo(generated);
    }

    /** As {@link #everyExampleInTheDocumentDecodesByteForByte}, for the version 2 examples, decoded in version 2. */
    @Test
    void everyVersion2ExampleInTheDocumentDecodesByteForByte() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String section = doc.substring(doc.indexOf(BEGIN_V2), doc.indexOf(END_V2));
        List<Frame> examples = version2Examples();
        int at = 0;
        for (Frame example : examples) {
            int open = section.indexOf("```\n", at);
            int close = section.indexOf("```\n", open + 4);
            at = close + 4;
            byte[] frame = hexColumn(section.substring(open + 4, close));
            ByteBuffer in = ByteBuffer.wrap(frame);
            assertThat(in.getInt()).isEqualTo(frame.length - 4);
            Class<? extends Message> type = MessageTypes.classOf(Short.toUnsignedInt(in.getShort()));
            int requestId = in.getInt();
            Message message = WireCodec.decodeBody(type, in.slice(), 2);
            assertThat(new Frame(requestId, message)).isEqualTo(example);
            assertThat(WireCodec.encode(new Frame(requestId, message), 2)).isEqualTo(frame);
        }
        assertThat(section.indexOf("```\n", at)).as("no more examples than those checked").isNegative();
    }

    private static byte[] hexColumn(String block) {
        var bytes = new java.io.ByteArrayOutputStream();
        for (String line : block.split("\n")) {
            String hexColumn = line.substring(0, Math.min(48, line.length())).trim();
            if (!hexColumn.isEmpty()) {
                bytes.writeBytes(HexFormat.ofDelimiter(" ").parseHex(hexColumn));
            }
        }
        return bytes.toByteArray();
    }

    static String renderVersion2() {
        var out = new StringBuilder("\n");
        for (Frame f : version2Examples()) {
            Class<?> type = f.message().getClass();
            out.append("\n").append(type.getEnclosingClass().getSimpleName()).append('.').append(type.getSimpleName())
                    .append(" in version 2:\n\n```\n").append(annotate(f, 2)).append("```\n");
        }
        return out.append('\n').toString();
    }

    /**
     * Reads every example of the catalogue back from the document, as a client author would: the bytes in the
     * left column, decoded with the codec, must be the example message, and encode to the same bytes again.
     */
    @Test
    void everyExampleInTheDocumentDecodesByteForByte() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String catalogue = doc.substring(doc.indexOf(BEGIN), doc.indexOf(END));
        var heading = java.util.regex.Pattern.compile("(?m)^#### (\\w+)\\.(\\w+) — type 0x([0-9A-F]{4})$");
        var m = heading.matcher(catalogue);
        Map<Class<? extends Message>, Frame> examples = examples();
        int decoded = 0;
        while (m.find()) {
            int open = catalogue.indexOf("```\n", m.end());
            int close = catalogue.indexOf("```\n", open + 4);
            var bytes = new java.io.ByteArrayOutputStream();
            for (String line : catalogue.substring(open + 4, close).split("\n")) {
                String hexColumn = line.substring(0, Math.min(48, line.length())).trim();
                if (!hexColumn.isEmpty()) {
                    bytes.writeBytes(HexFormat.ofDelimiter(" ").parseHex(hexColumn));
                }
            }
            byte[] frame = bytes.toByteArray();
            ByteBuffer in = ByteBuffer.wrap(frame);
            int length = in.getInt();
            int code = Short.toUnsignedInt(in.getShort());
            int requestId = in.getInt();
            String where = m.group(1) + "." + m.group(2);
            assertThat(length).as(where + ": the length prefix counts the bytes after it").isEqualTo(frame.length - 4);
            assertThat(code).as(where + ": the type code").isEqualTo(Integer.parseInt(m.group(3), 16));
            Class<? extends Message> type = MessageTypes.classOf(code);
            assertThat(type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName()).isEqualTo(where);
            Message message = WireCodec.decodeBody(type, in.slice());
            assertThat(WireCodec.encode(new Frame(requestId, message))).as(where + " decodes and encodes again to "
                    + "the same bytes").isEqualTo(frame);
            assertThat(frame).as(where + " is the example").isEqualTo(WireCodec.encode(examples.get(type)));
            decoded++;
        }
        assertThat(decoded).as("examples in the document").isEqualTo(MessageTypes.all().size());
    }

    static String render() {
        var byCode = new TreeMap<Integer, Class<? extends Message>>(MessageTypes.all());
        Map<Class<? extends Message>, Frame> examples = examples();
        var nested = new LinkedHashSet<Class<?>>();
        var out = new StringBuilder("\n");
        String area = "";
        for (var e : byCode.entrySet()) {
            Class<? extends Message> type = e.getValue();
            String thisArea = type.getEnclosingClass().getSimpleName();
            if (!thisArea.equals(area)) {
                area = thisArea;
                out.append("\n### ").append(area).append(" (0x").append(String.format("%02X", e.getKey() >> 8))
                        .append("xx)\n");
            }
            out.append("\n#### ").append(thisArea).append('.').append(type.getSimpleName()).append(" — type 0x")
                    .append(String.format("%04X", e.getKey())).append("\n\n");
            RecordComponent[] components = type.getRecordComponents();
            if (components.length == 0) {
                out.append("No fields.\n\n");
            } else {
                fieldTable(out, type, nested);
            }
            out.append("```\n").append(annotate(examples.get(type))).append("```\n");
        }
        out.append("\n### Records inside messages\n\nThese records appear only as fields of the messages above (or of"
                + " each other). In version 1 they are encoded inline: their fields in order, with no length or type"
                + " of their own, so that they can never change within version 1. From version 2 each is a varint"
                + " length, then its fields in order: a receiver skips fields after those it knows and gives fields"
                + " missing at the end their empty value, as for top-level messages. A field marked \"version 2\" is"
                + " not on the wire at all in version 1.\n\n");
        var done = new LinkedHashSet<Class<?>>();
        while (!nested.isEmpty()) {
            Class<?> type = nested.iterator().next();
            nested.remove(type);
            if (done.add(type)) {
                out.append("#### ").append(type.getEnclosingClass().getSimpleName()).append('.')
                        .append(type.getSimpleName()).append("\n\n");
                fieldTable(out, type, nested);
            }
        }
        return out.append('\n').toString();
    }

    /** The field table of a record; records it contains (directly or in lists) are added to {@code nested}. */
    private static void fieldTable(StringBuilder out, Class<?> type, Set<Class<?>> nested) {
        out.append("| field | wire type |\n| --- | --- |\n");
        for (RecordComponent c : type.getRecordComponents()) {
            Type t = c.getGenericType();
            Class<?> element = t instanceof ParameterizedType p ? (Class<?>) p.getActualTypeArguments()[0]
                    : (Class<?>) t;
            if (element.isRecord()) {
                nested.add(element);
            }
            int since = WireCodec.since(c);
            out.append("| `").append(c.getName()).append("` | ").append(wireType(t))
                    .append(since > 1 ? " (version " + since + " on; absent in version 1)" : "").append(" |\n");
        }
        out.append('\n');
    }

    private static String wireType(Type t) {
        if (t instanceof ParameterizedType p) {
            return "list of " + wireType(p.getActualTypeArguments()[0]);
        }
        Class<?> c = (Class<?>) t;
        if (c == int.class) {
            return "int32";
        } else if (c == long.class) {
            return "int64";
        } else if (c == boolean.class) {
            return "bool (1 byte)";
        } else if (c == String.class) {
            return "string (varint length + UTF-8)";
        } else if (c == byte[].class) {
            return "bytes (varint length + bytes)";
        } else if (c.isEnum()) {
            var names = new StringBuilder();
            for (Object o : c.getEnumConstants()) {
                names.append(names.isEmpty() ? "" : ", ").append(o).append('=')
                        .append(((org.parley.protocol.codec.WireEnum) o).wireCode());
            }
            return "uint16 " + c.getSimpleName() + " (" + names + ")";
        }
        String name = c.getEnclosingClass().getSimpleName() + "." + c.getSimpleName();
        return "[" + c.getSimpleName() + "](#" + name.toLowerCase(java.util.Locale.ROOT).replace(".", "") + ") (inline in version 1, length-prefixed from version 2)";
    }

    private static String annotate(Frame frame) {
        return annotate(frame, 1);
    }

    private static String annotate(Frame frame, int version) {
        HexFormat hex = HexFormat.ofDelimiter(" ");
        byte[] all = WireCodec.encode(frame, version);
        var out = new StringBuilder();
        line(out, hex.formatHex(all, 0, 4), "length = " + (all.length - 4));
        line(out, hex.formatHex(all, 4, 6), "type = " + frame.message().getClass().getSimpleName());
        line(out, hex.formatHex(all, 6, 10), "request id = " + frame.requestId());
        fields(out, (Record) frame.message(), "", version);
        return out.toString();
    }

    /** Annotates each field of a record; nested records and lists of records are broken down too. */
    private static void fields(StringBuilder out, Record record, String indent, int version) {
        HexFormat hex = HexFormat.ofDelimiter(" ");
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (WireCodec.since(c) > version) {
                continue;
            }
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof Record nested) {
                nested(out, c.getName() + " = " + nested.getClass().getSimpleName(), nested, indent, version);
            } else if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Record) {
                line(out, hex.formatHex(varint(list.size())), indent + c.getName() + " = " + list.size()
                        + " × " + list.get(0).getClass().getSimpleName() + ":");
                for (Object element : list) {
                    if (version >= 2) {
                        nested(out, element.getClass().getSimpleName(), (Record) element, indent + "  ", version);
                    } else {
                        fields(out, (Record) element, indent + "  ", version);
                    }
                }
            } else {
                byte[] field = WireCodec.encodeComponent(c, value, version);
                String shown = value instanceof String str ? '"' + str + '"'
                        : value instanceof byte[] b ? b.length + " bytes" : String.valueOf(value);
                // Every byte is shown, 16 to a line, so that the example is the exact frame.
                for (int from = 0; from < field.length || from == 0; from += 16) {
                    line(out, hex.formatHex(field, from, Math.min(field.length, from + 16)),
                            from == 0 ? indent + c.getName() + " = " + shown : "");
                }
            }
        }
    }

    /** A nested record: in version 1 its fields inline; from version 2 its length first. */
    private static void nested(StringBuilder out, String what, Record nested, String indent, int version) {
        if (version < 2) {
            line(out, "", indent + what + ":");
            fields(out, nested, indent + "  ", version);
            return;
        }
        int length = bodyLength(nested, version);
        line(out, HexFormat.ofDelimiter(" ").formatHex(varint(length)), indent + what + " (length " + length + "):");
        fields(out, nested, indent + "  ", version);
    }

    /** The bytes of a nested record's fields in {@code version}, without its length. */
    private static int bodyLength(Record record, int version) {
        int n = 0;
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (WireCodec.since(c) <= version) {
                try {
                    n += WireCodec.encodeComponent(c, c.getAccessor().invoke(record), version).length;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return n;
    }

    private static void line(StringBuilder out, String bytes, String meaning) {
        out.append(String.format("%-48s %s", bytes, meaning).stripTrailing()).append('\n');
    }

    private static byte[] varint(int value) {
        var w = new java.io.ByteArrayOutputStream();
        int v = value;
        while ((v & ~0x7f) != 0) {
            w.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        w.write(v);
        return w.toByteArray();
    }
}

package org.parley.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.server.common.MessageStages.Stage;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Setting {@code metrics-message-stages}: each new message's steps in the server (decoded, queued, stored, written
 * to the sender's and to each recipient's socket) are counted in the {@code parley.message.stage} timers, one
 * sample per message and stage (per delivery for the push); without the setting there are no such timers.
 */
class MessageStagesIT {

    @RegisterExtension
    static final ParleyServerExtension timed = new ParleyServerExtension().with("--metrics-address", "127.0.0.1:0",
            "--metrics-message-stages", "true");

    @RegisterExtension
    static final ParleyServerExtension timedTls = new ParleyServerExtension().tls().with("--metrics-address",
            "127.0.0.1:0", "--metrics-message-stages", "true");

    @RegisterExtension
    static final ParleyServerExtension plain = new ParleyServerExtension().with("--metrics-address", "127.0.0.1:0");

    private final HttpClient http = HttpClient.newHttpClient();

    private String scrape(ParleyServerExtension server) throws Exception {
        var a = server.server().opsAddress();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double count(String scrape, Stage stage) {
        String prefix = "parley_message_stage_seconds_count{";
        return scrape.lines().filter(l -> l.startsWith(prefix) && l.contains("stage=\"" + stage.tag() + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Three messages from ann to bob, who is online on two connections; returns when bob has all six pushes. */
    private static void send(ParleyServerExtension server) throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection bob2 = server.login("bob");
        long c = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        for (int i = 0; i < 3; i++) {
            ann.request(new Chat.Send(c, "m" + i, Kind.TEXT, "hello " + i, List.of()), Chat.Sent.class);
            bob.awaitPush(Chat.NewMessage.class);
            bob2.awaitPush(Chat.NewMessage.class);
        }
        // A resend of the same client message id is answered as a duplicate: timed as a send, pushed to nobody.
        assertThat(ann.request(new Chat.Send(c, "m0", Kind.TEXT, "hello 0", List.of()), Chat.Sent.class)
                .duplicate()).isTrue();
    }

    @Test
    void everyStageOfEveryMessageIsTimedWhenTheSettingIsOn() throws Exception {
        everyStageTimed(timed);
    }

    /** Through MINA's TLS filter too: a write counts as written once its encrypted bytes are. */
    @Test
    void everyStageIsTimedOverTls() throws Exception {
        everyStageTimed(timedTls);
    }

    private void everyStageTimed(ParleyServerExtension timed) throws Exception {
        send(timed);
        // A write is recorded on the server's I/O thread once it is on the socket, which may be just after the
        // client read it: wait for the counts (no timing is asserted).
        String m = scrape(timed);
        for (int i = 0; i < 200 && (count(m, Stage.DECODED_PUSHED) < 6 || count(m, Stage.DECODED_SENT) < 4);
                i++) {
            Thread.sleep(25);
            m = scrape(timed);
        }
        for (Stage s : List.of(Stage.DECODED_HANDLED, Stage.DECODED_QUEUED, Stage.QUEUED_BATCHED,
                Stage.BATCHED_DURABLE, Stage.DECODED_DURABLE, Stage.SENT_WRITTEN, Stage.DECODED_SENT)) {
            assertThat(count(m, s)).as(s.tag()).isEqualTo(4);
        }
        assertThat(count(m, Stage.PUSH_WRITTEN)).isEqualTo(6);
        assertThat(count(m, Stage.DECODED_PUSHED)).isEqualTo(6);
        assertThat(m).contains("parley_message_stage_seconds_bucket{");
    }

    @Test
    void nothingIsTimedWhenTheSettingIsOff() throws Exception {
        send(plain);
        assertThat(scrape(plain)).doesNotContain("parley_message_stage");
        assertThat(org.parley.server.config.ServerConfig.defaults().messageStages()).isFalse();
    }
}

package org.parley.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.KeyValuePair;
import org.parley.server.testing.ChildServer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

/** The server's logback.xml, in both formats: every event is one line, and every field survives quotes. */
class LogFormatTest {

    private static final String NASTY = "say \"hi\"\\ then\nlevel=ERROR msg=\"forged\"\r\ttab \u0001 é";

    /**
     * Encodes one event with the encoder of the appender that the server's logback.xml configures for
     * {@code format}; returns the bytes it would write.
     */
    @SuppressWarnings("unchecked")
    private static String logThrough(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.putProperty("parley.log.format", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(LogFormat.class.getResource("/logback.xml"));
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>) root
                    .getAppender(format);
            assertThat(appender).as("the appender the format names").isNotNull();
            assertThat(root.getAppender(format.equals("json") ? "text" : "json")).isNull();
            Logger log = context.getLogger("org.parley.server.Test");
            LoggingEvent event = new LoggingEvent(Logger.class.getName(), log, Level.WARN, NASTY, null, null);
            event.addKeyValuePair(new KeyValuePair("user", "ann\" admin=\"true"));
            event.addKeyValuePair(new KeyValuePair("we\"ird key", NASTY));
            return new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
        } finally {
            context.stop();
        }
    }

    @Test
    void textLinesEscapeQuotesAndLineBreaks() throws Exception {
        String out = logThrough("text");
        assertThat(out.lines()).hasSize(1);
        Matcher m = Pattern.compile("level=WARN logger=Test msg=\"((?:[^\"\\\\]|\\\\.)*)\" "
                + "user=\"((?:[^\"\\\\]|\\\\.)*)\" we_ird_key=\"((?:[^\"\\\\]|\\\\.)*)\"$").matcher(out.strip());
        assertThat(m.find()).as(out).isTrue();
        assertThat(unescape(m.group(1))).isEqualTo(NASTY);
        assertThat(unescape(m.group(2))).isEqualTo("ann\" admin=\"true");
        assertThat(unescape(m.group(3))).isEqualTo(NASTY);
    }

    @Test
    void jsonLinesParseBackToEveryField() throws Exception {
        String out = logThrough("json");
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(1);
        JsonObject o = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(o.get("level").getAsString()).isEqualTo("WARN");
        assertThat(o.get("loggerName").getAsString()).isEqualTo("org.parley.server.Test");
        assertThat(o.get("formattedMessage").getAsString()).isEqualTo(NASTY);
        String kvps = o.get("kvpList").toString();
        assertThat(o.getAsJsonArray("kvpList").get(0).getAsJsonObject().get("user").getAsString())
                .isEqualTo("ann\" admin=\"true");
        assertThat(o.getAsJsonArray("kvpList").get(1).getAsJsonObject().get("we\"ird key").getAsString())
                .as(kvps).isEqualTo(NASTY);
    }

    @Test
    void theLogFormatSettingMakesTheServerLogJson(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        try (ChildServer child = ChildServer.start(dir.resolve("data"), log, List.of("-Dparley.log.level=INFO"),
                List.of("--log-format", "json"))) {
            // started: the start-up line is logged before the port is printed
        }
        List<String> jsonLines = Files.readAllLines(log).stream().filter(l -> l.startsWith("{")).toList();
        assertThat(jsonLines).isNotEmpty();
        assertThat(Files.readAllLines(log)).filteredOn(l -> l.contains("level=")).isEmpty();
        assertThat(Files.readAllLines(log)).as("no logback status lines").filteredOn(l -> l.contains("|-")
                && l.contains("ch.qos.logback")).isEmpty();
        assertThat(jsonLines.stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .map(o -> o.get("formattedMessage").getAsString())).contains("Parley server started");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}

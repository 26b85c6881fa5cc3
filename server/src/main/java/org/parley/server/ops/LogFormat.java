package org.parley.server.ops;

import java.net.URL;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;

/**
 * Chooses the log format after the settings are read: the server's logback.xml has a key=value appender and a JSON
 * one ({@code ch.qos.logback.classic.encoder.JsonEncoder}) and uses the one the system property
 * {@code parley.log.format} names ({@code text} when unset).
 */
public final class LogFormat {

    public static final String PROPERTY = "parley.log.format";

    private LogFormat() {
    }

    /** Reconfigures logback from the server's logback.xml for {@code format} ("text" or "json"). */
    public static void apply(String format) {
        if (format.equals(System.getProperty(PROPERTY, "text"))) {
            return;
        }
        System.setProperty(PROPERTY, format);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        URL config = LogFormat.class.getResource("/logback.xml");
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            System.err.println("parley-server: could not reconfigure the log: " + e);
        }
    }
}

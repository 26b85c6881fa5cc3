package org.parley.server.admin.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;

/** What the admin command line talks to: its output, input, environment and a way to ask for a password. */
public interface Terminal {

    PrintStream out();

    PrintStream err();

    /** Standard input ({@code --password-file -}). */
    InputStream in();

    /** An environment variable, or null. */
    String env(String name);

    /** Asks for a password without echoing it; null when there is no terminal to ask on (a script, a pipe). */
    char[] readPassword(String prompt);

    /** The process's own: System.out, System.err, System.in, its environment and its console. */
    static Terminal system() {
        return new Terminal() {
            @Override
            public PrintStream out() {
                return System.out;
            }

            @Override
            public PrintStream err() {
                return System.err;
            }

            @Override
            public InputStream in() {
                return System.in;
            }

            @Override
            public String env(String name) {
                return System.getenv(name);
            }

            @Override
            public char[] readPassword(String prompt) {
                Console console = System.console();
                return console == null || !interactive(console) ? null : console.readPassword("%s", prompt);
            }

            /** From JDK 22 a console exists even when the streams are redirected: ask only on a real terminal. */
            private static boolean interactive(Console console) {
                try {
                    return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
                } catch (ReflectiveOperationException e) {
                    return true; // JDK 21: a console exists only on a terminal
                }
            }
        };
    }
}

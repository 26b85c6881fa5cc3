package org.parley.filetransfer.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Where "Save as…" starts: the last folder the user saved to, while it exists; else the user's Downloads folder
 * as the desktop names it ({@code XDG_DOWNLOAD_DIR} in {@code $XDG_CONFIG_HOME/user-dirs.dirs}, by default
 * {@code ~/.config/user-dirs.dirs}); else {@code ~/Downloads} when it exists; else the home folder. The environment
 * and the home folder are given (the system's in {@link #ofSystem()}), so that tests give their own.
 */
public final class DownloadFolder {

    private static final String KEY = "XDG_DOWNLOAD_DIR";

    private final Function<String, String> env;
    private final Path home;

    /** @param env the environment's variables ({@code System::getenv}) @param home the user's home folder */
    public DownloadFolder(Function<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    /** The running user's: the process environment and {@code user.home}. */
    public static DownloadFolder ofSystem() {
        return new DownloadFolder(System::getenv, Path.of(System.getProperty("user.home")));
    }

    /** The folder to start in: {@code lastSaved} when it is a folder that still exists, else {@link #downloads()}. */
    public Path initial(String lastSaved) {
        if (lastSaved != null && !lastSaved.isBlank()) {
            try {
                Path last = Path.of(lastSaved);
                if (last.isAbsolute() && Files.isDirectory(last)) {
                    return last;
                }
            } catch (java.nio.file.InvalidPathException e) {
                // a preference that is no path: fall back to the Downloads folder
            }
        }
        return downloads();
    }

    /** The user's Downloads folder (XDG, then {@code ~/Downloads}), or the home folder when there is none. */
    public Path downloads() {
        Path xdg = xdgDownloadDir();
        if (xdg != null && Files.isDirectory(xdg)) {
            return xdg;
        }
        Path plain = home.resolve("Downloads");
        return Files.isDirectory(plain) ? plain : home;
    }

    /**
     * {@code XDG_DOWNLOAD_DIR} from {@code user-dirs.dirs}: {@code "$HOME/yyyy"} or {@code "/yyyy"} (the only forms
     * the file has); null when the file or the line is missing, or it names the home folder itself (which means
     * "no such folder").
     */
    Path xdgDownloadDir() {
        String configHome = env.apply("XDG_CONFIG_HOME");
        Path config = configHome != null && !configHome.isBlank() && Path.of(configHome).isAbsolute()
                ? Path.of(configHome) : home.resolve(".config");
        List<String> lines;
        try {
            lines = Files.readAllLines(config.resolve("user-dirs.dirs"), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Path found = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || !line.startsWith(KEY)) {
                continue;
            }
            String rest = line.substring(KEY.length()).strip();
            if (!rest.startsWith("=")) {
                continue;
            }
            String value = rest.substring(1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            Path path;
            if (value.equals("$HOME") || value.equals("$HOME/")) {
                path = null;
            } else if (value.startsWith("$HOME/")) {
                path = home.resolve(value.substring("$HOME/".length()));
            } else if (value.startsWith("/")) {
                path = Path.of(value);
            } else {
                continue;
            }
            found = path; // the last line wins, as with the shell that sources the file
        }
        return found == null || found.normalize().equals(home.normalize()) ? null : found;
    }
}

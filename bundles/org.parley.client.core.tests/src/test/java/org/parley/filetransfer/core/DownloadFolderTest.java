package org.parley.filetransfer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where "Save as…" starts, with a home folder and environment of the test's own (never the real ones). */
class DownloadFolderTest {

    @TempDir
    Path home;

    private DownloadFolder folder(Map<String, String> env) {
        return new DownloadFolder(env::get, home);
    }

    private void userDirs(Path configHome, String... lines) throws Exception {
        Files.createDirectories(configHome);
        Files.write(configHome.resolve("user-dirs.dirs"), java.util.List.of(lines));
    }

    @Test
    void theXdgDownloadFolderInItsHomeForm() throws Exception {
        Path fetched = Files.createDirectories(home.resolve("Téléchargements"));
        Files.createDirectories(home.resolve("Downloads"));
        userDirs(home.resolve(".config"), "# written by xdg-user-dirs-update", "XDG_DESKTOP_DIR=\"$HOME/Desktop\"",
                "XDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"");
        assertEquals(fetched, folder(Map.of()).downloads());
        assertEquals(fetched, folder(Map.of()).initial(null));
    }

    @Test
    void xdgConfigHomeAndAnAbsolutePath() throws Exception {
        Path elsewhere = Files.createDirectories(home.resolve("data/incoming"));
        Path config = home.resolve("cfg");
        userDirs(config, "XDG_DOWNLOAD_DIR=\"" + elsewhere + "\"");
        userDirs(home.resolve(".config"), "XDG_DOWNLOAD_DIR=\"$HOME/NotThisOne\"");
        Files.createDirectories(home.resolve("NotThisOne"));
        assertEquals(elsewhere, folder(Map.of("XDG_CONFIG_HOME", config.toString())).downloads());
    }

    @Test
    void tildeDownloadsWhenTheXdgFolderIsMissingOrTheHome() throws Exception {
        Path downloads = Files.createDirectories(home.resolve("Downloads"));
        userDirs(home.resolve(".config"), "XDG_DOWNLOAD_DIR=\"$HOME/Gone\"");
        assertEquals(downloads, folder(Map.of()).downloads(), "the XDG folder does not exist");
        userDirs(home.resolve(".config"), "XDG_DOWNLOAD_DIR=\"$HOME/\"");
        assertEquals(downloads, folder(Map.of()).downloads(), "the XDG folder set to the home means none");
        userDirs(home.resolve(".config"), "XDG_DOWNLOAD_DIR=relative/path");
        assertEquals(downloads, folder(Map.of()).downloads(), "a form the file never has");
    }

    @Test
    void theHomeWhenThereIsNoDownloadsFolder() {
        assertEquals(home, folder(Map.of()).downloads());
        assertEquals(home, folder(Map.of()).initial(""));
    }

    @Test
    void theLastFolderSavedToWhileItExists() throws Exception {
        Path downloads = Files.createDirectories(home.resolve("Downloads"));
        Path last = Files.createDirectories(home.resolve("projects/reports"));
        assertEquals(last, folder(Map.of()).initial(last.toString()));
        Files.delete(last);
        assertEquals(downloads, folder(Map.of()).initial(last.toString()), "the last folder is gone");
        assertEquals(downloads, folder(Map.of()).initial("not/absolute"));
    }
}

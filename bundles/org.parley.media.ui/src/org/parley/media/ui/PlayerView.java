package org.parley.media.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.browser.Browser;
import org.eclipse.swt.browser.BrowserFunction;
import org.eclipse.swt.widgets.Composite;
import org.parley.media.core.MediaKind;

/**
 * Plays a video or an audio file inside Parley: an HTML5 player in the SWT Browser (WebKitGTK on Linux, whose
 * GStreamer plug-ins provide the codecs), with the browser's own play, pause, seek and volume controls. The page
 * is a file next to the cached media, so that the player may load it.
 */
final class PlayerView {

    private final Browser browser;
    /** Where playback is, in seconds, as the page last said (-1 until the media's metadata is loaded). */
    private volatile double time = -1;

    /** Throws SWTError when no browser engine is installed (the viewer then offers the system's player). */
    PlayerView(Composite parent, Path media, String mediaType, boolean autoplay) throws IOException {
        Path page = media.resolveSibling("." + media.getFileName() + ".player.html");
        Files.writeString(page, html(media, mediaType, autoplay), StandardCharsets.UTF_8);
        browser = new Browser(parent, SWT.NONE);
        // The page reports the playback time (no synchronous evaluate: it spins a nested event loop).
        new BrowserFunction(browser, "parleyTime") {
            @Override
            public Object function(Object[] args) {
                if (args.length > 0 && args[0] instanceof Number n) {
                    time = n.doubleValue();
                }
                return null;
            }
        };
        browser.setUrl(page.toUri().toString());
    }

    static String html(Path media, String mediaType, boolean autoplay) {
        String tag = MediaKind.of(mediaType) == MediaKind.AUDIO ? "audio" : "video";
        String src = media.toUri().toString();
        return "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
                + "html,body{margin:0;height:100%;background:#202020;display:flex;align-items:center;"
                + "justify-content:center}video{max-width:100%;max-height:100%}audio{width:100%}</style></head><body>"
                + "<" + tag + " id='media' controls" + (autoplay ? " autoplay" : "") + " preload='auto' src='"
                + escape(src) + "'></" + tag
                + "><script>var m=document.getElementById('media');"
                + "['loadedmetadata','timeupdate','seeked'].forEach(function(e){m.addEventListener(e,"
                + "function(){parleyTime(m.currentTime);});});</script></body></html>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;");
    }

    Browser control() {
        return browser;
    }

    /** Where playback is, in seconds; -1 until the player has loaded the media. */
    double currentTime() {
        return time;
    }

    void play(boolean muted) {
        browser.execute("var m=document.getElementById('media');m.muted=" + muted + ";m.play();");
    }

    void pause() {
        browser.execute("document.getElementById('media').pause();");
    }
}

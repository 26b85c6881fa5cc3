package org.parley.sample.highlight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageRenderer;
import org.parley.chat.ui.MessageRow;
import org.parley.chat.ui.Snippet;
import org.parley.chat.ui.SnippetOpener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;
import org.parley.sample.highlight.HighlightingSnippetRenderer;

/** The renderer as Parley's chat history uses it: found through the extension point, measured and painted. */
class HighlightingSnippetRendererTest {

    private static final String CODE = "// says hello\npublic class Hello {\n    String s = \"hi\";\n}";
    private static Display display;

    @BeforeAll
    static void display() {
        display = Display.getDefault();
    }

    @AfterAll
    static void close() {
        display.dispose();
    }

    private record Row(Chat.ChatMessage message, boolean isSelected) implements MessageRow {
        @Override
        public boolean isOwn() {
            return false;
        }

        @Override
        public ChatContext chat() {
            return null;
        }

        @Override
        public void refresh() {
        }
    }

    private static Chat.ChatMessage message(long seq, String text) {
        return new Chat.ChatMessage(1, seq, 0, "ada", "c" + seq, Chat.Kind.TEXT, text, List.of());
    }

    /** The renderer, created the way Parley creates it: from its contribution to messageRenderers. */
    private static MessageRenderer contributed() throws Exception {
        IConfigurationElement element = Arrays.stream(RegistryFactory.getRegistry()
                        .getConfigurationElementsFor("org.parley.chat.ui.messageRenderers"))
                .filter(e -> "org.parley.sample.highlight.snippets".equals(e.getAttribute("id")))
                .findFirst().orElseThrow();
        // Above Parley's own snippet rendering (priority 0), for TEXT messages only.
        assertThat(Integer.parseInt(element.getAttribute("priority"))).isGreaterThan(0);
        assertThat(element.getAttribute("kinds")).isEqualTo("TEXT");
        MessageRenderer renderer = (MessageRenderer) element.createExecutableExtension("class");
        renderer.init(new ChatContext() {
            @Override
            public long conversationId() {
                return 1;
            }

            @Override
            public ParleyClient client() {
                return null;
            }

            @Override
            public Shell shell() {
                return null;
            }
        });
        return renderer;
    }

    @Test
    void claimsSnippetsOnly() throws Exception {
        MessageRenderer renderer = contributed();
        String snippet = new Snippet("java", "src/Hello.java", 3, 6, CODE).toMessageText();
        assertThat(renderer.claims(message(1, snippet))).isTrue();
        assertThat(renderer.claims(message(2, "just words"))).isFalse();
        assertThat(renderer.claims(message(3, "look:\n" + snippet))).isFalse();
        assertThat(renderer.text(new Row(message(1, snippet), false))).isEqualTo(CODE);
        renderer.dispose();
    }

    @Test
    void paintsKeywordsStringsAndCommentsInTheirColours() throws Exception {
        MessageRenderer renderer = contributed();
        Chat.ChatMessage m = message(1, new Snippet("java", "src/Hello.java", 3, 6, CODE).toMessageText());
        ImageData plain = paint(renderer, new Row(m, false));
        save(plain, "highlighted-snippet.png");
        assertThat(count(plain, new RGB(127, 0, 85))).as("keyword pixels").isPositive();
        assertThat(count(plain, new RGB(42, 0, 255))).as("string pixels").isPositive();
        assertThat(count(plain, new RGB(63, 127, 95))).as("comment pixels").isPositive();
        // Selected rows are drawn in the selection colours only.
        ImageData selected = paint(renderer, new Row(m, true));
        assertThat(count(selected, new RGB(127, 0, 85))).as("keyword pixels when selected").isZero();
        renderer.dispose();
    }

    @Test
    void openingASnippetAsksTheSnippetOpenerService() throws Exception {
        MessageRenderer renderer = contributed();
        Snippet sent = new Snippet("java", "src/Hello.java", 3, 6, CODE);
        List<Snippet> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
        ServiceRegistration<SnippetOpener> registration = context.registerService(SnippetOpener.class,
                (snippet, shell) -> opened.add(snippet), null);
        try {
            assertThat(renderer.activate(new Row(message(1, sent.toMessageText()), false))).isTrue();
        } finally {
            registration.unregister();
            renderer.dispose();
        }
        assertThat(opened).containsExactly(sent);
    }

    @Test
    void longSnippetsShowTheirFirstLinesAndSayHowManyMore() throws Exception {
        MessageRenderer renderer = contributed();
        StringBuilder code = new StringBuilder();
        for (int i = 1; i <= 200; i++) {
            code.append("int v").append(i).append(" = ").append(i).append(";\n");
        }
        Chat.ChatMessage longOne = message(1, new Snippet("java", "A.java", 1, 200, code.toString().strip())
                .toMessageText());
        Chat.ChatMessage shortOne = message(2, new Snippet("java", "A.java", 1, 20,
                code.substring(0, code.indexOf("int v21")).strip()).toMessageText());
        Image image = new Image(display, 10, 10);
        GC gc = new GC(image);
        try {
            int tall = renderer.measure(new Row(longOne, false), 600, gc);
            int twenty = renderer.measure(new Row(shortOne, false), 600, gc);
            // 200 lines are shown as 20 plus one line saying how many more: about the height of 21 lines.
            assertThat(tall).isGreaterThan(twenty).isLessThan(twenty * 23 / 20);
        } finally {
            gc.dispose();
            image.dispose();
            renderer.dispose();
        }
    }

    private static ImageData paint(MessageRenderer renderer, MessageRow row) {
        Image probe = new Image(display, 10, 10);
        GC measuring = new GC(probe);
        int height = renderer.measure(row, 500, measuring);
        measuring.dispose();
        probe.dispose();
        Image image = new Image(display, 500, height);
        GC gc = new GC(image);
        try {
            gc.setBackground(display.getSystemColor(org.eclipse.swt.SWT.COLOR_WHITE));
            gc.fillRectangle(0, 0, 500, height);
            if (row.isSelected()) {
                gc.setBackground(display.getSystemColor(org.eclipse.swt.SWT.COLOR_LIST_SELECTION));
                gc.setForeground(display.getSystemColor(org.eclipse.swt.SWT.COLOR_LIST_SELECTION_TEXT));
                gc.fillRectangle(0, 0, 500, height);
            }
            renderer.paint(row, gc, new Rectangle(0, 0, 500, height));
            return image.getImageData();
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    /** Keeps the picture for people to look at (target/screenshots); nothing is asserted on it. */
    private static void save(ImageData data, String name) {
        java.io.File dir = new java.io.File("target/screenshots");
        dir.mkdirs();
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {data};
        loader.save(new java.io.File(dir, name).getPath(), org.eclipse.swt.SWT.IMAGE_PNG);
    }

    /** Pixels of exactly {@code rgb} (glyph cores are drawn in the text colour; their edges are blended). */
    private static int count(ImageData data, RGB rgb) {
        int n = 0;
        for (int y = 0; y < data.height; y++) {
            for (int x = 0; x < data.width; x++) {
                if (data.palette.getRGB(data.getPixel(x, y)).equals(rgb)) {
                    n++;
                }
            }
        }
        return n;
    }
}

package org.parley.chat.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.ImageTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Text;

/**
 * Files dropped on a chat (from a file manager) and files or pictures pasted into its entry field go to the
 * composer actions ({@code ComposerAction.acceptFiles}). A pasted picture (a screenshot, say) is saved as a PNG
 * file first; pasted text is left to the entry field.
 */
final class FileDrops {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss");

    private FileDrops() {
    }

    static void install(Predicate<List<Path>> accept, Control history, Text input) {
        for (Control c : new Control[] {history, input}) {
            DropTarget target = new DropTarget(c, DND.DROP_COPY | DND.DROP_DEFAULT);
            target.setTransfer(FileTransfer.getInstance());
            target.addDropListener(new DropTargetAdapter() {
                @Override
                public void dragEnter(DropTargetEvent e) {
                    e.detail = DND.DROP_COPY;
                }

                @Override
                public void drop(DropTargetEvent e) {
                    if (e.data instanceof String[] names && names.length > 0) {
                        accept.test(paths(names));
                    }
                }
            });
        }
        input.addListener(SWT.KeyDown, e -> {
            if (isPaste(e) && pasted(accept, input)) {
                e.doit = false;
            }
        });
    }

    private static boolean isPaste(Event e) {
        return (e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'v' || e.character == 0x16)
                || (e.stateMask & SWT.SHIFT) != 0 && e.keyCode == SWT.INSERT;
    }

    /** Files or a picture on the clipboard go to the actions; returns false to let the text field paste text. */
    static boolean pasted(Predicate<List<Path>> accept, Control control) {
        Clipboard clipboard = new Clipboard(control.getDisplay());
        try {
            List<Transfer> offered = new ArrayList<>();
            for (var type : clipboard.getAvailableTypes()) {
                if (FileTransfer.getInstance().isSupportedType(type)) {
                    offered.add(FileTransfer.getInstance());
                } else if (ImageTransfer.getInstance().isSupportedType(type)) {
                    offered.add(ImageTransfer.getInstance());
                }
            }
            if (offered.contains(FileTransfer.getInstance())
                    && clipboard.getContents(FileTransfer.getInstance()) instanceof String[] names
                    && names.length > 0) {
                accept.test(paths(names)); // taken or not, file names are not text to paste
                return true;
            }
            if (offered.contains(ImageTransfer.getInstance())
                    && clipboard.getContents(ImageTransfer.getInstance()) instanceof ImageData image) {
                Path png = savePng(image);
                if (png != null) {
                    accept.test(List.of(png));
                }
                return png != null;
            }
            return false;
        } finally {
            clipboard.dispose();
        }
    }

    private static List<Path> paths(String[] names) {
        List<Path> out = new ArrayList<>();
        for (String n : names) {
            out.add(Path.of(n));
        }
        return out;
    }

    /** A pasted picture as a PNG in a folder of its own (so its name can be a plain, readable one). */
    private static Path savePng(ImageData image) {
        try {
            Path dir = Files.createTempDirectory("parley-paste");
            Path png = dir.resolve("Pasted picture " + STAMP.format(LocalDateTime.now()) + ".png");
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] {image};
            loader.save(png.toString(), SWT.IMAGE_PNG);
            png.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return png;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

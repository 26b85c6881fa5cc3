package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Slider;

/**
 * The history's viewport: which rows are in view and where ({@link Placed}), the scroll position (a row and a
 * pixel offset into it, so that rows of any height scroll smoothly and rows loading above the view do not move
 * it), following the newest message, and the slider, which spans the whole history. Rows are measured here (by
 * their renderers, cached per width); everything else about a row is the {@link HistoryView}'s.
 */
final class HistoryViewport {

    record Placed(long seq, int y, int height) {
    }

    private final HistoryView view;
    private final HistoryPages pages;
    private final RowPainter painter;
    private final Composite root;
    private final Canvas canvas;
    private final Slider slider;
    private final List<Placed> placed = new ArrayList<>();
    private long topSeq = 1;
    private int topOffset;
    private boolean followTail = true;

    HistoryViewport(HistoryView view, HistoryPages pages, RowPainter painter, Composite root, Canvas canvas) {
        this.view = view;
        this.pages = pages;
        this.painter = painter;
        this.root = root;
        this.canvas = canvas;
        slider = new Slider(root, SWT.VERTICAL);
        GridData sliderData = new GridData(SWT.FILL, SWT.FILL, false, true);
        sliderData.exclude = true;
        slider.setLayoutData(sliderData);
        slider.setVisible(false);
        slider.addListener(SWT.Selection, e -> sliderMoved(e.detail));
    }

    /** The rows in view, top to bottom (as laid out by the last {@link #layout}). */
    List<Placed> placed() {
        return placed;
    }

    boolean isFollowingTail() {
        return followTail;
    }

    /** The row in view at {@code y}, or null. */
    Placed at(int y) {
        for (Placed p : placed) {
            if (y >= p.y && y < p.y + p.height) {
                return p;
            }
        }
        return null;
    }

    /** Whether the newest message is in view, whole. */
    boolean tailShown() {
        long lastSeq = view.lastSeq();
        return !placed.isEmpty() && placed.get(placed.size() - 1).seq == lastSeq
                && placed.get(placed.size() - 1).y + placed.get(placed.size() - 1).height
                        <= canvas.getClientArea().height;
    }

    /** Starts the view at {@code seq} (a little above the first unread message). */
    void startAt(long seq) {
        followTail = false;
        topSeq = seq;
        topOffset = 0;
    }

    void scrollToTop() {
        startAt(1);
        view.update();
    }

    void scrollToEnd() {
        followTail = true;
        view.update();
    }

    /** Lays the visible rows out and moves the slider. */
    void layout() {
        layoutRows();
        updateSlider();
    }

    private void layoutRows() {
        placed.clear();
        long lastSeq = view.lastSeq();
        if (lastSeq <= 0) {
            return;
        }
        int viewport = canvas.getClientArea().height;
        if (!followTail) {
            topSeq = Math.max(1, Math.min(topSeq, lastSeq));
            int y = -topOffset;
            long s = topSeq;
            while (s <= lastSeq && y < viewport) {
                int h = height(s);
                if (h > 0) {
                    placed.add(new Placed(s, y, h));
                }
                y += h;
                s++;
            }
            if (y >= viewport) {
                return;
            }
            followTail = true; // the end is in view: stay with it
            placed.clear();
        }
        int y = viewport;
        for (long s = lastSeq; s >= 1 && y > 0; s--) {
            int h = height(s);
            y -= h;
            if (h > 0) {
                placed.add(0, new Placed(s, y, h));
            }
        }
        if (!placed.isEmpty()) {
            topSeq = placed.get(0).seq;
            topOffset = Math.max(0, -placed.get(0).y);
        }
    }

    /** A row's height: measured when loaded (cached per width), a placeholder's otherwise, 0 when missing. */
    private int height(long seq) {
        Row r = pages.row(seq);
        if (r == null) {
            return pages.isMissing(seq) ? 0 : painter.placeholderHeight();
        }
        return painter.height(view.frame(r), view.measure(r) + view.chipsHeight(r));
    }

    void scrollBy(int dy) {
        if (placed.isEmpty() || dy == 0) {
            return;
        }
        if (followTail) {
            if (dy > 0 || placed.get(0).y >= 0 && placed.get(0).seq == firstPresent()) {
                return; // already at the end, or everything fits
            }
            topSeq = placed.get(0).seq;
            topOffset = -placed.get(0).y;
        }
        followTail = false;
        topOffset += dy;
        while (topOffset < 0) {
            if (topSeq <= 1) {
                topOffset = 0;
                break;
            }
            topSeq--;
            topOffset += height(topSeq);
        }
        while (topSeq < view.lastSeq() && topOffset >= height(topSeq)) {
            topOffset -= height(topSeq);
            topSeq++;
        }
        view.update();
    }

    /** The first sequence number that is not missing (deleted or never there). */
    long firstPresent() {
        long s = 1;
        while (s < view.lastSeq() && pages.isMissing(s)) {
            s++;
        }
        return s;
    }

    /** The next present row from {@code seq} in a direction (skipping missing ones), within the history. */
    long step(long seq, int direction) {
        long lastSeq = view.lastSeq();
        long s = seq + direction;
        while (s >= 1 && s <= lastSeq && pages.isMissing(s)) {
            s += direction;
        }
        return Math.max(1, Math.min(lastSeq, s));
    }

    private void sliderMoved(int detail) {
        int viewport = canvas.getClientArea().height;
        switch (detail) {
            case SWT.ARROW_UP -> scrollBy(-painter.line * 3);
            case SWT.ARROW_DOWN -> scrollBy(painter.line * 3);
            case SWT.PAGE_UP -> scrollBy(-(viewport - painter.line));
            case SWT.PAGE_DOWN -> scrollBy(viewport - painter.line);
            default -> {
                int sel = slider.getSelection();
                if (sel + slider.getThumb() >= slider.getMaximum()) {
                    scrollToEnd();
                } else {
                    startAt(sel + 1L);
                    view.update();
                }
            }
        }
    }

    private void updateSlider() {
        long lastSeq = view.lastSeq();
        if (lastSeq <= 0 || placed.isEmpty()) {
            showSlider(false);
            return;
        }
        int max = (int) Math.min(Integer.MAX_VALUE - 1, lastSeq);
        int visible = Math.max(1, Math.min(max, placed.size()));
        boolean all = placed.get(0).y >= 0 && placed.get(0).seq == firstPresent() && followTail;
        int selection = followTail ? max - visible : (int) Math.min(max - visible, topSeq - 1);
        slider.setValues(Math.max(0, selection), 0, max, visible, 1, Math.max(1, visible - 1));
        showSlider(!all);
    }

    /** The slider shows only when there is something to scroll to. */
    private void showSlider(boolean show) {
        if (slider.getVisible() != show) {
            slider.setVisible(show);
            ((GridData) slider.getLayoutData()).exclude = !show;
            root.layout(true);
        }
    }

    /** Scrolls the least needed to show the row whole. */
    void reveal(long seq) {
        int viewport = canvas.getClientArea().height;
        for (Placed p : placed) {
            if (p.seq == seq && p.y >= 0 && p.y + p.height <= viewport) {
                view.update();
                return;
            }
        }
        if (seq >= view.lastSeq()) {
            scrollToEnd();
            return;
        }
        followTail = false;
        if (placed.isEmpty() || seq <= placed.get(0).seq) {
            topSeq = seq;
            topOffset = 0;
        } else { // below: align its bottom with the bottom of the view
            int y = viewport;
            long s = seq;
            topSeq = 1;
            topOffset = 0;
            while (s >= 1) {
                int h = height(s);
                if (y - h <= 0) {
                    topSeq = s;
                    topOffset = h - y;
                    break;
                }
                y -= h;
                s--;
            }
        }
        view.update();
    }
}

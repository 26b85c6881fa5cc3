package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.parley.protocol.message.Reactions;

/**
 * The reactions under a message: one chip per emoji with its count, highlighted when the signed-in user is among
 * those who chose it; they wrap onto more lines when the body is narrow. Geometry, painting and hit testing, so that
 * the history's painting and input agree on where each chip is.
 */
final class ReactionChips {

    private static final int GAP = 4;
    private static final int PAD_X = 7;
    private static final Color BORDER = new Color(205, 210, 218);
    private static final Color FILL = new Color(242, 244, 247);
    private static final Color MINE_BORDER = new Color(40, 110, 210);
    private static final Color MINE_FILL = new Color(222, 235, 252);

    /** One chip: the reaction it shows and where. */
    record Chip(Reactions.Reaction reaction, Rectangle bounds) {
    }

    private final int line;

    ReactionChips(int line) {
        this.line = line;
    }

    private int chipHeight() {
        return line + 6;
    }

    static String label(Reactions.Reaction r) {
        return r.emoji() + " " + r.users().size();
    }

    /** The chips of {@code summary} laid out from the top left of {@code area}, wrapping at its width. */
    List<Chip> layout(GC gc, List<Reactions.Reaction> summary, Rectangle area) {
        List<Chip> out = new ArrayList<>(summary.size());
        int x = area.x;
        int y = area.y;
        for (Reactions.Reaction r : summary) {
            Point text = gc.textExtent(label(r));
            int w = text.x + 2 * PAD_X;
            if (x > area.x && x + w > area.x + area.width) {
                x = area.x;
                y += chipHeight() + GAP;
            }
            out.add(new Chip(r, new Rectangle(x, y, w, chipHeight())));
            x += w + GAP;
        }
        return out;
    }

    /** The height the chips take under a body {@code width} wide (0 without reactions), gap above included. */
    int height(GC gc, List<Reactions.Reaction> summary, int width) {
        if (summary.isEmpty()) {
            return 0;
        }
        List<Chip> chips = layout(gc, summary, new Rectangle(0, 0, width, 0));
        return GAP + chips.get(chips.size() - 1).bounds().y + chipHeight();
    }

    /** Where the chips start under a body. */
    Rectangle area(Rectangle body) {
        return new Rectangle(body.x, body.y + Math.max(line, body.height) + GAP, body.width, 0);
    }

    void paint(GC gc, List<Reactions.Reaction> summary, Rectangle body, String me) {
        if (summary.isEmpty()) {
            return;
        }
        gc.setAntialias(SWT.ON);
        for (Chip c : layout(gc, summary, area(body))) {
            boolean mine = c.reaction().users().contains(me);
            Rectangle b = c.bounds();
            gc.setBackground(mine ? MINE_FILL : FILL);
            gc.fillRoundRectangle(b.x, b.y, b.width, b.height, b.height, b.height);
            gc.setForeground(mine ? MINE_BORDER : BORDER);
            gc.drawRoundRectangle(b.x, b.y, b.width - 1, b.height - 1, b.height, b.height);
            gc.setForeground(mine ? MINE_BORDER : gc.getDevice().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
            gc.drawText(label(c.reaction()), b.x + PAD_X, b.y + 3, true);
        }
    }

    /** The chip at ({@code x}, {@code y}), or null. */
    Chip at(GC gc, List<Reactions.Reaction> summary, Rectangle body, int x, int y) {
        for (Chip c : layout(gc, summary, area(body))) {
            if (c.bounds().contains(x, y)) {
                return c;
            }
        }
        return null;
    }

    /** "Ann Lee and Bob Roy reacted with 👍" (display names; "You" for the signed-in user). */
    static String whoReacted(Reactions.Reaction r, String me, UnaryOperator<String> names) {
        List<String> who = new ArrayList<>();
        for (String u : r.users()) {
            who.add(u.equals(me) ? Messages.Reactions_you : names.apply(u));
        }
        String list = who.size() == 1 ? who.get(0)
                : String.join(", ", who.subList(0, who.size() - 1)) + " " + Messages.Reactions_and + " "
                        + who.get(who.size() - 1);
        return NLS.bind(Messages.Reactions_whoReacted, list, r.emoji());
    }
}

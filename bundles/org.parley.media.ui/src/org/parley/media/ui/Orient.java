package org.parley.media.ui;

import org.eclipse.swt.graphics.ImageData;

/** Turns decoded pixels the way an EXIF orientation (1..8) says the picture is to be shown. */
final class Orient {

    private Orient() {
    }

    static ImageData apply(ImageData d, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return d;
        }
        boolean swap = orientation >= 5;
        int w = swap ? d.height : d.width;
        int h = swap ? d.width : d.height;
        ImageData out = new ImageData(w, h, d.depth, d.palette);
        out.transparentPixel = d.transparentPixel;
        boolean alpha = d.alphaData != null;
        if (alpha) {
            out.alphaData = new byte[w * h];
        }
        for (int y = 0; y < d.height; y++) {
            for (int x = 0; x < d.width; x++) {
                int nx;
                int ny;
                switch (orientation) {
                    case 2 -> { nx = d.width - 1 - x; ny = y; }
                    case 3 -> { nx = d.width - 1 - x; ny = d.height - 1 - y; }
                    case 4 -> { nx = x; ny = d.height - 1 - y; }
                    case 5 -> { nx = y; ny = x; }
                    case 6 -> { nx = d.height - 1 - y; ny = x; }
                    case 7 -> { nx = d.height - 1 - y; ny = d.width - 1 - x; }
                    default -> { nx = y; ny = d.width - 1 - x; } // 8
                }
                out.setPixel(nx, ny, d.getPixel(x, y));
                if (alpha) {
                    out.alphaData[ny * w + nx] = d.alphaData[y * d.width + x];
                }
            }
        }
        return out;
    }
}

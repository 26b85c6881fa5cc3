package org.parley.media.ui;

import java.nio.file.Path;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;
import org.parley.ui.ParleyUi;

/** Opens a local picture, video or audio file in a viewer part (one per file; an open one is brought forward). */
public final class MediaViewer {

    public static final String DESCRIPTOR = "org.parley.media.ui.viewer";
    static final String PATH = "path";
    static final String TYPE = "mediaType";

    private MediaViewer() {
    }

    public static MPart open(EPartService parts, EModelService models, MApplication application, Path file,
            String mediaType, String title) {
        String path = file.toAbsolutePath().toString();
        MPart part = null;
        for (MPart p : parts.getParts()) {
            if (path.equals(p.getPersistedState().get(PATH))) {
                part = p;
            }
        }
        if (part == null) {
            part = parts.createPart(DESCRIPTOR);
            part.getPersistedState().put(PATH, path);
            part.getPersistedState().put(TYPE, mediaType);
            part.setLabel(title);
            part.setTooltip(path);
            if (models.find(ParleyUi.MAIN_STACK, application) instanceof MPartStack main) {
                main.getChildren().add(part);
            } // else (inside an Eclipse IDE) the part service places it, next to the active part

        }
        parts.showPart(part, PartState.ACTIVATE);
        return part;
    }
}

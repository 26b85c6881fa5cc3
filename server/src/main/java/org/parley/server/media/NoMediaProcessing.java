package org.parley.server.media;

import java.nio.file.Path;

/**
 * The pipeline for a server that does not look into files: every file is shared as uploaded, under the type its
 * sender declared, with no thumbnail. Stands in until the image pipeline is wired.
 */
public final class NoMediaProcessing implements MediaPipeline {

    @Override
    public Inspection inspect(ByteSource file, String declaredType, boolean keepMetadata, Path scratchDir) {
        String type = declaredType == null || declaredType.isBlank() ? "application/octet-stream" : declaredType;
        return new Inspection(type, false, 0, 0, new byte[0], null);
    }

    @Override
    public byte[] posterThumbnail(byte[] poster) {
        return new byte[0];
    }
}

package org.parley.filetransfer.ui;

import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.parley.client.core.ParleyClient;

/**
 * A model add-on of the file transfer plug-in: transfers belong to the user who started them. When that user signs
 * out (the client leaves the application's context, in the Parley application or an IDE), the running ones are
 * cancelled and the list is emptied, so that whoever signs in next sees none of them.
 */
public class SignedOutTransfers {

    private ParleyClient client;

    @Inject
    void client(@Optional ParleyClient signedIn) {
        if (client != null && signedIn != client) {
            TransferList.forgetAll();
        }
        client = signedIn;
    }
}

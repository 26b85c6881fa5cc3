package org.parley.ui.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that fails a test when Parley logged an error while it ran: an error dialog the test did not
 * look for, an asyncExec that failed after a chat closed, a contribution that broke. The test bundle's own
 * deliberately broken contributions (logged "from org.parley.ui.tests") are not counted. Register it with
 * {@code @RegisterExtension final NoErrorsLogged errors = new NoErrorsLogged();}.
 */
public final class NoErrorsLogged implements BeforeEachCallback, AfterEachCallback {

    private static final String TEST_BUNDLE = "org.parley.ui.tests";

    private final List<IStatus> logged = new CopyOnWriteArrayList<>();
    private final ILogListener listener = (status, plugin) -> {
        if (status.getSeverity() == IStatus.ERROR && !TEST_BUNDLE.equals(status.getPlugin())
                && !String.valueOf(status.getMessage()).contains("from " + TEST_BUNDLE)) {
            logged.add(status);
        }
    };

    @Override
    public void beforeEach(ExtensionContext context) {
        logged.clear();
        Platform.addLogListener(listener);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Platform.removeLogListener(listener);
        List<String> errors = logged.stream().map(s -> s.getMessage() + " " + s.getException()).toList();
        if (!errors.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("errors logged while the test ran: " + errors);
        }
    }

    /** The errors logged so far in this test. */
    public List<IStatus> logged() {
        return List.copyOf(logged);
    }
}

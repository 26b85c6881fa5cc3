package org.parley.server.directory;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The organization's directory, as the accounts feature uses it: checks a user's password and looks users up.
 * Calls block (network, bounded by the directory's timeouts): callers run them on their own bounded threads, never
 * on a request thread. Implementations are thread-safe.
 */
public interface Directory {

    /**
     * The user the directory knows by this login name and accepts with this password; empty when no entry (or
     * more than one) matches the user filter (unknown, disabled or deleted user), or the password is empty or
     * wrong.
     *
     * @throws DirectoryUnavailableException if the directory could not be asked (down, timed out, refused the
     *         service account)
     */
    Optional<DirectoryUser> authenticate(String name, String password);

    /**
     * The users of these login names that the user filter finds now, by name; a name missing from the answer is
     * not found (disabled or deleted).
     *
     * @throws DirectoryUnavailableException if the directory could not be asked
     */
    Map<String, DirectoryUser> lookup(Collection<String> names);

    /** Whether the directory says who is an administrator ({@link DirectoryUser#admin()} means something). */
    boolean mapsAdmins();
}

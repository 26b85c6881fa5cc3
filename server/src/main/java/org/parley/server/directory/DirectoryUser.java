package org.parley.server.directory;

/**
 * A user as the directory has them.
 *
 * @param dn the DN of their entry
 * @param displayName the display name the directory gives (may be empty; the caller checks it)
 * @param admin whether they are in the administrators' group (false when {@link Directory#mapsAdmins()} is false)
 */
public record DirectoryUser(String dn, String displayName, boolean admin) {
}

/**
 * Parley &gt; Preferences…: the Eclipse preference dialog built from the {@code org.parley.ui.preferencePages}
 * extensions ({@link org.parley.ui.internal.preferences.PreferencePages}), and the application's own pages.
 */
package org.parley.ui.internal.preferences;

/** The Plug-ins dialog (Parley &gt; Plug-ins…) and its handler, contributed by model fragment. */
package org.parley.plugins.ui.internal;

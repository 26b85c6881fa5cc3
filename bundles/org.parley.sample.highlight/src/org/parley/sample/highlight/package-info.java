/**
 * A sample Parley plug-in from outside the project's core: a message renderer that shows code snippets with
 * syntax colouring. It uses only Parley's documented extension point ({@code org.parley.chat.ui.messageRenderers})
 * and API packages; see docs/plugins.md, which walks through it.
 */
package org.parley.sample.highlight;

/**
 * The Parley application: the E4 application model (window, part stacks, status area), the product, its
 * life cycle, and branding. Feature bundles (contacts, chat, ...) contribute their parts to this model through
 * model fragments.
 */
package org.parley.ui;

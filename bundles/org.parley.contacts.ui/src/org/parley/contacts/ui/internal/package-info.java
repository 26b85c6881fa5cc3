/**
 * The contacts plug-in's implementation (not API): the Contacts view (contacts with presence, contact requests,
 * conversations with unread counts), Add contact and New group, and the loading of contact decorations.
 */
package org.parley.contacts.ui.internal;

/**
 * API of the contacts plug-in for other plug-ins: {@link org.parley.contacts.ui.ContactDecorator} (extension point
 * {@code org.parley.contacts.ui.contactDecorations}) with what Parley gives it. The Contacts view itself is in
 * {@code org.parley.contacts.ui.internal}, which is not exported.
 */
package org.parley.contacts.ui;

/** The Contacts view: contacts with presence, contact requests, conversations with unread counts. */
package org.parley.contacts.ui;

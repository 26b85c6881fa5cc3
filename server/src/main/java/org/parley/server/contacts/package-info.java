/** Contacts: user search, contact requests, the symmetric contact list; with the {@link org.parley.server.contacts.ContactStore} port. */
package org.parley.server.contacts;

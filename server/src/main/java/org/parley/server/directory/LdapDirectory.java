package org.parley.server.directory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.SocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory over LDAP (OpenLDAP, 389 DS, Active Directory ...), with the UnboundID LDAP SDK. Each login opens
 * one connection (to the first server of {@code ldap-url} that answers within the connect timeout), secures it
 * (ldaps://, or StartTLS before anything else is sent; the certificate checked against the trust store or
 * {@code ldap-ca-file} and the server's host name), binds as the service account, searches the user with the user
 * filter (the login name escaped as RFC 4515 says), reads the admin group, and binds as the user's DN with the
 * password; then closes it. An empty password is refused before anything is sent (a simple bind with a DN and no
 * password is an anonymous bind, which most servers accept). No connection is kept between logins: there is
 * nothing to go stale, and logins are rare next to messages.
 */
public final class LdapDirectory implements Directory {

    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectory.class);
    private static final String CN = "cn";
    private static final String MEMBER_OF = "memberOf";

    private final DirectorySettings settings;
    private final ServerSet servers;
    private final DN adminGroup;
    private final Filter adminFilter;

    public LdapDirectory(DirectorySettings settings) throws GeneralSecurityException, IOException {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("no directory configured (ldap-url)");
        }
        this.settings = settings;
        this.adminGroup = settings.adminGroup() == null ? null : dn(settings.adminGroup());
        try {
            this.adminFilter = settings.adminFilter() == null ? null : Filter.create(settings.adminFilter());
        } catch (LDAPException e) {
            throw new IllegalArgumentException("ldap-admin-filter: " + e.getMessage(), e);
        }
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(settings.connectTimeoutMillis());
        options.setResponseTimeoutMillis(settings.responseTimeoutMillis());
        options.setAbandonOnTimeout(true);
        options.setFollowReferrals(false);
        options.setBindWithDNRequiresPassword(true);
        options.setUseSynchronousMode(true);
        // The certificate must name the host of the URL (wildcards allowed): StartTLS and ldaps:// alike.
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        SSLUtil ssl = new SSLUtil(trustManagers(settings));
        List<LDAPURL> urls = settings.urls();
        String[] hosts = new String[urls.size()];
        int[] ports = new int[urls.size()];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = urls.get(i).getHost();
            ports[i] = urls.get(i).getPort();
        }
        SocketFactory sockets = settings.ldaps() ? ssl.createSSLSocketFactory() : SocketFactory.getDefault();
        PostConnectProcessor startTls = !settings.ldaps() && settings.startTls()
                ? new StartTLSPostConnectProcessor(ssl.createSSLSocketFactory()) : null;
        servers = new FailoverServerSet(hosts, ports, sockets, options, null, startTls);
    }

    private static TrustManager[] trustManagers(DirectorySettings settings) throws GeneralSecurityException,
            IOException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (settings.caFile() == null) {
            factory.init((KeyStore) null); // the JDK's (the system's) trust store
        } else {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            try (InputStream in = Files.newInputStream(settings.caFile())) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + n++, c);
                }
            }
            if (n == 0) {
                throw new GeneralSecurityException("ldap-ca-file " + settings.caFile() + " holds no certificate");
            }
            factory.init(store);
        }
        return factory.getTrustManagers();
    }

    @Override
    public boolean mapsAdmins() {
        return adminGroup != null || adminFilter != null;
    }

    @Override
    public Optional<DirectoryUser> authenticate(String name, String password) {
        if (password == null || password.isEmpty()) {
            return Optional.empty(); // never sent: with a DN, an empty password is an anonymous bind
        }
        try (LDAPConnection c = connect()) {
            SearchResultEntry entry = find(c, name);
            if (entry == null) {
                return Optional.empty();
            }
            DirectoryUser user = user(c, entry);
            try {
                c.bind(new SimpleBindRequest(entry.getDN(), password));
            } catch (LDAPException e) {
                if (unreachable(e.getResultCode())) {
                    throw unavailable("the directory did not answer the user's bind", e);
                }
                LOG.atInfo().addKeyValue("user", name).addKeyValue("result", e.getResultCode().getName())
                        .log("directory refused the password");
                return Optional.empty();
            }
            return Optional.of(user);
        } catch (LDAPException e) {
            throw unavailable("the directory could not be searched", e);
        }
    }

    @Override
    public Map<String, DirectoryUser> lookup(Collection<String> names) {
        Map<String, DirectoryUser> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        try (LDAPConnection c = connect()) {
            for (String name : names) {
                SearchResultEntry entry = find(c, name);
                if (entry != null) {
                    out.put(name, user(c, entry));
                }
            }
            return out;
        } catch (LDAPException e) {
            throw unavailable("the directory could not be searched", e);
        }
    }

    /** A connection (TLS set up by the server set) bound as the service account. */
    private LDAPConnection connect() throws LDAPException {
        LDAPConnection c = servers.getConnection();
        try {
            if (!settings.bindDn().isEmpty()) {
                try {
                    c.bind(new SimpleBindRequest(settings.bindDn(), settings.bindPassword()));
                } catch (LDAPException e) {
                    if (!unreachable(e.getResultCode())) {
                        LOG.atError().addKeyValue("bindDn", settings.bindDn())
                                .addKeyValue("result", e.getResultCode().getName())
                                .log("the directory refused the service account: check ldap-bind-dn and "
                                        + "ldap-bind-password-file");
                    }
                    throw e;
                }
            }
            return c;
        } catch (LDAPException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The one entry the user filter finds for this login name; null for none or for several. */
    private SearchResultEntry find(LDAPConnection c, String name) throws LDAPException {
        Filter filter = userFilter(settings.userFilter(), name);
        SearchRequest request = new SearchRequest(settings.searchBase(), SearchScope.SUB, filter,
                settings.displayNameAttribute(), CN, MEMBER_OF);
        request.setSizeLimit(2);
        request.setTimeLimitSeconds(Math.max(1, settings.responseTimeoutMillis() / 1000));
        SearchResult result;
        try {
            result = c.search(request);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                LOG.atWarn().addKeyValue("user", name).log("the user filter finds several directory entries for "
                        + "this name: refused (make ldap-user-filter match one entry)");
                return null;
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                LOG.atError().addKeyValue("searchBase", settings.searchBase())
                        .log("ldap-search-base does not exist in the directory");
            }
            throw e;
        }
        List<SearchResultEntry> entries = result.getSearchEntries();
        if (entries.size() > 1) {
            LOG.atWarn().addKeyValue("user", name).log("the user filter finds several directory entries for this "
                    + "name: refused (make ldap-user-filter match one entry)");
            return null;
        }
        return entries.isEmpty() ? null : entries.get(0);
    }

    /**
     * The user filter with {@code {0}} replaced by the login name, escaped as an assertion value (RFC 4515: every
     * {@code *}, {@code (}, {@code )}, {@code \} and NUL), so that a name cannot change the filter.
     */
    static Filter userFilter(String template, String name) throws LDAPException {
        return Filter.create(template.replace("{0}", Filter.encodeValue(name)));
    }

    private DirectoryUser user(LDAPConnection c, SearchResultEntry entry) throws LDAPException {
        String display = entry.getAttributeValue(settings.displayNameAttribute());
        if (display == null || display.isBlank()) {
            display = entry.getAttributeValue(CN);
        }
        return new DirectoryUser(entry.getDN(), display == null ? "" : display.strip(), isAdmin(c, entry));
    }

    /**
     * Whether the entry belongs to an administrator: it matches {@code ldap-admin-filter} (a base search on the
     * entry, so the directory evaluates it, matching rules such as AD's nested-group rule included), or it is in
     * {@code ldap-admin-group}: the user's {@code memberOf} names the group (Active Directory, OpenLDAP's memberof
     * overlay), or the group entry lists the user's DN as {@code member} or {@code uniqueMember}.
     */
    private boolean isAdmin(LDAPConnection c, SearchResultEntry entry) throws LDAPException {
        if (adminFilter != null && c.search(new SearchRequest(entry.getDN(), SearchScope.BASE, adminFilter, "1.1"))
                .getEntryCount() > 0) {
            return true;
        }
        if (adminGroup == null) {
            return false;
        }
        String[] memberOf = entry.getAttributeValues(MEMBER_OF);
        if (memberOf != null) {
            for (String g : memberOf) {
                try {
                    if (adminGroup.equals(new DN(g))) {
                        return true;
                    }
                } catch (LDAPException e) {
                    // not a DN: not this group
                }
            }
        }
        Filter member = Filter.createORFilter(Filter.createEqualityFilter("member", entry.getDN()),
                Filter.createEqualityFilter("uniqueMember", entry.getDN()));
        try {
            return c.search(new SearchRequest(adminGroup.toString(), SearchScope.BASE, member, "1.1"))
                    .getEntryCount() > 0;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                LOG.atWarn().addKeyValue("adminGroup", adminGroup).log("ldap-admin-group does not exist in the "
                        + "directory: nobody is an administrator through it");
                return false;
            }
            throw e;
        }
    }

    /** Whether a result code means the directory was not reached or did not answer (rather than refused). */
    private static boolean unreachable(ResultCode code) {
        return code == ResultCode.SERVER_DOWN || code == ResultCode.CONNECT_ERROR || code == ResultCode.TIMEOUT
                || code == ResultCode.BUSY || code == ResultCode.UNAVAILABLE || code == ResultCode.LOCAL_ERROR
                || code == ResultCode.DECODING_ERROR || code == ResultCode.ENCODING_ERROR;
    }

    private DirectoryUnavailableException unavailable(String what, LDAPException e) {
        LOG.atWarn().addKeyValue("urls", settings.urls()).addKeyValue("result", e.getResultCode().getName())
                .addKeyValue("error", e.getExceptionMessage()).log(what);
        return new DirectoryUnavailableException(what + ": " + e.getResultCode().getName(), e);
    }

    private static DN dn(String s) {
        try {
            return new DN(s);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("not a DN: " + s, e);
        }
    }
}

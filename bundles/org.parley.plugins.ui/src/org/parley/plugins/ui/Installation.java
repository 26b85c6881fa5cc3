package org.parley.plugins.ui;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.core.IProvisioningAgentProvider;
import org.eclipse.equinox.p2.core.ProvisionException;
import org.eclipse.equinox.p2.engine.IEngine;
import org.eclipse.equinox.p2.engine.IProfile;
import org.eclipse.equinox.p2.engine.IProfileRegistry;
import org.eclipse.equinox.p2.engine.IProvisioningPlan;
import org.eclipse.equinox.p2.engine.ProvisioningContext;
import org.eclipse.equinox.p2.planner.IPlanner;
import org.eclipse.equinox.p2.planner.IProfileChangeRequest;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.metadata.Version;
import org.eclipse.equinox.p2.operations.InstallOperation;
import org.eclipse.equinox.p2.operations.ProfileChangeOperation;
import org.eclipse.equinox.p2.operations.ProvisioningSession;
import org.eclipse.equinox.p2.operations.UninstallOperation;
import org.eclipse.equinox.p2.operations.UpdateOperation;
import org.eclipse.equinox.p2.query.QueryUtil;
import org.eclipse.equinox.p2.repository.IRepositoryManager;
import org.eclipse.equinox.p2.repository.artifact.IArtifactRepositoryManager;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepository;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepositoryManager;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * The running Parley installation as p2 sees it: its profile (what is installed), the update sites the user
 * added, and the operations that change it. No UI: the Plug-ins dialog and tests use it alike.
 * <p>
 * Changes go to the installation itself (its {@code p2} folder, {@code plugins}, {@code features} and the shared
 * {@code configuration}), not to a per-user copy: every profile started from this installation sees them after a
 * restart (see docs/decisions/plugins-p2.md). The installation directory must therefore be writable.
 */
public final class Installation implements AutoCloseable {

    /** Features whose id starts with this are Parley's and are listed. */
    public static final String FEATURE_PREFIX = "org.parley.";
    private static final String GROUP_SUFFIX = ".feature.group";
    private static final String ROOT = "org.eclipse.equinox.p2.type.root";

    /** A Parley feature: installed, offered by the current site, or both. */
    public record Feature(String id, String name, IInstallableUnit installed, boolean removable,
            IInstallableUnit available) {
        public boolean isInstalled() {
            return installed != null;
        }

        /** The site offers a newer version than the installed one. */
        public boolean hasUpdate() {
            return installed != null && available != null
                    && available.getVersion().compareTo(installed.getVersion()) > 0;
        }

        public String installedVersion() {
            return installed == null ? "" : shortVersion(installed.getVersion());
        }

        public String availableVersion() {
            return available == null ? "" : shortVersion(available.getVersion());
        }
    }

    /** A site that cannot be used, with a message for the user. */
    public static final class SiteException extends Exception {
        private static final long serialVersionUID = 1L;

        public SiteException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path installDir;
    private final String profileId;
    private final IProvisioningAgent agent;
    private final boolean ownAgent;

    private Installation(Path installDir, String profileId, IProvisioningAgent agent, boolean ownAgent) {
        this.installDir = installDir;
        this.profileId = profileId;
        this.agent = agent;
        this.ownAgent = ownAgent;
    }

    /** The installation this application was started from (its install area and p2 profile). */
    public static Installation current() throws ProvisionException {
        BundleContext context = FrameworkUtil.getBundle(Installation.class).getBundleContext();
        String profile = context.getProperty("eclipse.p2.profile");
        if (profile == null) {
            throw new ProvisionException("This Parley was not installed by p2 (no eclipse.p2.profile): "
                    + "plug-ins cannot be installed into it.");
        }
        Path dir;
        try {
            // URIUtil: the location's URL is not escaped (a directory name with a space)
            dir = Path.of(org.eclipse.core.runtime.URIUtil.toURI(Platform.getInstallLocation().getURL()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ProvisionException("Cannot tell where Parley is installed: " + e.getMessage());
        }
        return open(dir, profile);
    }

    /** An installation on disk (its {@code p2} folder) and the id of its profile. */
    public static Installation open(Path installDir, String profileId) throws ProvisionException {
        Path p2 = installDir.resolve("p2");
        if (!Files.isDirectory(p2)) {
            throw new ProvisionException("No p2 data in " + installDir + ": plug-ins cannot be installed into it.");
        }
        BundleContext context = FrameworkUtil.getBundle(Installation.class).getBundleContext();
        ServiceReference<IProvisioningAgentProvider> ref = context.getServiceReference(IProvisioningAgentProvider.class);
        IProvisioningAgentProvider provider = ref == null ? null : context.getService(ref);
        if (provider == null) {
            throw new ProvisionException("The p2 runtime is not running (no IProvisioningAgentProvider).");
        }
        startServices(context);
        IProvisioningAgent agent = provider.createAgent(p2.toUri());
        Installation installation = new Installation(installDir, profileId, agent, true);
        if (installation.profile() == null) {
            installation.close();
            throw new ProvisionException("No p2 profile '" + profileId + "' in " + p2 + ".");
        }
        try {
            installation.followMove();
        } catch (ProvisionException e) {
            installation.close();
            throw e;
        }
        return installation;
    }

    /**
     * The profile names the directory it was installed in (install folder and bundle pool). When the product was
     * moved or copied since (unpacked elsewhere, or a test's copy), changes would go to the old place: a roaming
     * profile (Tycho's products are) is pointed at the new place first, as p2 does for a running self profile;
     * another is refused.
     */
    private void followMove() throws ProvisionException {
        IProfile profile = profile();
        String recorded = profile.getProperty(IProfile.PROP_INSTALL_FOLDER);
        if (recorded == null || samePlace(Path.of(recorded), installDir)) {
            return;
        }
        if (!Boolean.parseBoolean(profile.getProperty(IProfile.PROP_ROAMING))) {
            throw new ProvisionException("Parley was moved from " + recorded + " to " + installDir
                    + " and its p2 profile cannot follow: plug-ins cannot be installed into this copy.");
        }
        IPlanner planner = agent.getService(IPlanner.class);
        IProfileChangeRequest request = planner.createChangeRequest(profile);
        request.setProfileProperty(IProfile.PROP_INSTALL_FOLDER, installDir.toString());
        String cache = profile.getProperty(IProfile.PROP_CACHE);
        if (cache == null || samePlace(Path.of(cache), Path.of(recorded))) {
            request.setProfileProperty(IProfile.PROP_CACHE, installDir.toString());
        }
        ProvisioningContext none = new ProvisioningContext(agent);
        none.setMetadataRepositories(new URI[0]);
        none.setArtifactRepositories(new URI[0]);
        IProvisioningPlan plan = planner.getProvisioningPlan(request, none, null);
        IStatus status = plan.getStatus().isOK() ? agent.getService(IEngine.class).perform(plan, null)
                : plan.getStatus();
        if (status.getSeverity() == IStatus.ERROR) {
            throw new ProvisionException(status);
        }
    }

    private static boolean samePlace(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /**
     * Bundles that only publish services (declarative services) and that nothing loads a class from, so lazy
     * activation never starts them: the framework manipulator that writes bundles.info and config.ini, and the
     * ECF transport p2 downloads with. Without them p2 fails with "Could not acquire the framework manipulator
     * service" or finds no transport.
     */
    private static final List<String> SERVICE_BUNDLES = List.of("org.eclipse.equinox.frameworkadmin.equinox",
            "org.eclipse.equinox.simpleconfigurator.manipulator", "org.eclipse.equinox.p2.transport.ecf",
            "org.eclipse.ecf.provider.filetransfer", "org.eclipse.equinox.p2.garbagecollector");

    private static void startServices(BundleContext context) throws ProvisionException {
        for (Bundle b : context.getBundles()) {
            if (SERVICE_BUNDLES.contains(b.getSymbolicName()) && b.getState() != Bundle.ACTIVE) {
                try {
                    b.start(Bundle.START_TRANSIENT);
                } catch (BundleException e) {
                    throw new ProvisionException("The p2 runtime is incomplete: " + b.getSymbolicName()
                            + " does not start: " + e.getMessage());
                }
            }
        }
    }

    public Path directory() {
        return installDir;
    }

    public String profileId() {
        return profileId;
    }

    public IProvisioningAgent agent() {
        return agent;
    }

    /** Null when changes cannot be written; else why not. */
    public String notWritableReason() {
        for (Path p : List.of(installDir, installDir.resolve("p2"), installDir.resolve("plugins"),
                installDir.resolve("configuration"))) {
            if (Files.exists(p) && !Files.isWritable(p)) {
                return "The Parley installation in " + installDir + " is read-only for you (" + p.getFileName()
                        + "): ask whoever installed Parley to add plug-ins, or install a copy you own.";
            }
        }
        return null;
    }

    private IProfile profile() {
        return agent.getService(IProfileRegistry.class).getProfile(profileId);
    }

    /** The installed Parley features; {@code offered} (may be empty) adds what a site offers. */
    public List<Feature> features(Collection<IInstallableUnit> offered) {
        IProfile profile = profile();
        Map<String, Feature> byId = new TreeMap<>();
        for (IInstallableUnit iu : profile.query(QueryUtil.createIUGroupQuery(), null)) {
            if (isParleyFeature(iu)) {
                boolean root = Boolean.parseBoolean(profile.getInstallableUnitProperty(iu, ROOT));
                byId.put(iu.getId(), new Feature(iu.getId(), name(iu), iu, root, null));
            }
        }
        for (IInstallableUnit iu : offered) {
            Feature f = byId.get(iu.getId());
            if (f == null) {
                byId.put(iu.getId(), new Feature(iu.getId(), name(iu), null, false, iu));
            } else if (f.available() == null || f.available().getVersion().compareTo(iu.getVersion()) < 0) {
                byId.put(iu.getId(), new Feature(f.id(), f.name(), f.installed(), f.removable(), iu));
            }
        }
        List<Feature> list = new ArrayList<>(byId.values());
        list.sort(Comparator.comparing(Feature::name, String.CASE_INSENSITIVE_ORDER));
        return list;
    }

    /** The update sites added so far (remembered in the installation's p2 data). */
    public List<URI> sites() {
        URI[] known = agent.getService(IMetadataRepositoryManager.class)
                .getKnownRepositories(IRepositoryManager.REPOSITORIES_NON_SYSTEM);
        return List.of(known);
    }

    /** Forgets a site. */
    public void removeSite(URI site) {
        agent.getService(IMetadataRepositoryManager.class).removeRepository(site);
        agent.getService(IArtifactRepositoryManager.class).removeRepository(site);
    }

    /**
     * What the user typed as a site: a URL (http:, https:, file:, jar:) or a local directory or .zip file.
     */
    public static URI location(String text) throws SiteException {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new SiteException("Give the update site's URL, directory or .zip file.", null);
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.matches("^(https?|file|jar):.*")) {
            try {
                URI uri = new URI(t);
                if (uri.getScheme().startsWith("http") && uri.getHost() == null) {
                    throw new SiteException("'" + t + "' is not a valid URL (no host).", null);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new SiteException("'" + t + "' is not a valid URL: " + e.getReason() + ".", e);
            }
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new SiteException("Only http:, https: and file: sites are supported, not '" + t + "'.", null);
        }
        File f = new File(t.startsWith("~/") ? System.getProperty("user.home") + t.substring(1) : t);
        if (!f.exists()) {
            throw new SiteException("There is no file or directory " + f.getAbsolutePath() + ".", null);
        }
        if (f.isFile()) {
            if (!lower.endsWith(".zip") && !lower.endsWith(".jar")) {
                throw new SiteException(f.getAbsolutePath()
                        + " is a file but not a .zip archive: choose the update site's directory or its .zip.", null);
            }
            return URI.create("jar:" + f.getAbsoluteFile().toPath().normalize().toUri() + "!/");
        }
        return f.getAbsoluteFile().toPath().normalize().toUri();
    }

    /**
     * Loads a site (adding it to the known sites) and returns the Parley features it offers, newest version of
     * each. A site that cannot be read, or that offers no Parley feature, is refused with a clear message.
     */
    public List<IInstallableUnit> load(URI site, IProgressMonitor monitor) throws SiteException {
        SubMonitor sub = SubMonitor.convert(monitor, "Reading " + display(site), 10);
        IMetadataRepositoryManager metadata = agent.getService(IMetadataRepositoryManager.class);
        IArtifactRepositoryManager artifacts = agent.getService(IArtifactRepositoryManager.class);
        IMetadataRepository repo;
        try {
            repo = metadata.loadRepository(site, sub.split(6));
            artifacts.loadRepository(site, sub.split(3));
        } catch (ProvisionException e) {
            metadata.removeRepository(site);
            artifacts.removeRepository(site);
            throw new SiteException(siteError(site, e), e);
        } catch (org.eclipse.core.runtime.OperationCanceledException e) {
            throw new SiteException("Reading " + display(site) + " was cancelled.", e);
        }
        Map<String, IInstallableUnit> newest = new LinkedHashMap<>();
        for (IInstallableUnit iu : repo.query(QueryUtil.createIUGroupQuery(), sub.split(1))) {
            if (isParleyFeature(iu)) {
                newest.merge(iu.getId(), iu, (a, b) -> a.getVersion().compareTo(b.getVersion()) >= 0 ? a : b);
            }
        }
        if (newest.isEmpty()) {
            throw new SiteException(display(site) + " is an update site, but it offers no Parley features.", null);
        }
        return new ArrayList<>(newest.values());
    }

    private static String siteError(URI site, ProvisionException e) {
        String why = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
        if ("http".equals(site.getScheme()) && !"allow".equals(System.getProperty("p2.httpRule"))) {
            // p2 fetches http: sites over https (CVE-2021-41033) unless told otherwise
            why += " (p2 reads http: sites over https; for a plain-http site start Parley with -Dp2.httpRule=allow)";
        }
        int code = e.getStatus() == null ? 0 : e.getStatus().getCode();
        if (code == ProvisionException.REPOSITORY_NOT_FOUND) {
            return "No update site at " + display(site)
                    + " (no content.xml, content.jar or compositeContent.* there, or it cannot be reached).";
        }
        if (unreachable(e)) {
            return "Cannot reach the update site at " + display(site) + ": " + why;
        }
        if (code == ProvisionException.REPOSITORY_FAILED_READ) {
            return "The update site at " + display(site) + " is damaged or cannot be read: " + why;
        }
        return "Cannot use the update site at " + display(site) + ": " + why;
    }

    /** A network failure (refused, unknown host, timeout) rather than a bad site. */
    private static boolean unreachable(ProvisionException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.SocketTimeoutException || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        java.util.Deque<IStatus> statuses = new java.util.ArrayDeque<>();
        if (e.getStatus() != null) {
            statuses.add(e.getStatus());
        }
        while (!statuses.isEmpty()) {
            IStatus s = statuses.pop();
            if (s.getMessage() != null && s.getMessage().startsWith("Unable to connect")
                    || s.getException() instanceof java.net.ConnectException
                    || s.getException() instanceof java.net.UnknownHostException) {
                return true;
            }
            statuses.addAll(List.of(s.getChildren()));
        }
        return false;
    }

    /** The site as the user would write it. */
    public static String display(URI site) {
        if ("file".equals(site.getScheme())) {
            return new File(site).getPath();
        }
        String s = site.toString();
        if (s.startsWith("jar:file:") && s.endsWith("!/")) {
            return display(URI.create(s.substring(4, s.length() - 2)));
        }
        return site.toString();
    }

    /** Installs (or updates to) the given features from a site. Resolve it, then run its provisioning job. */
    public InstallOperation install(Collection<IInstallableUnit> features, URI site) {
        InstallOperation op = new InstallOperation(new ProvisioningSession(agent), features);
        configure(op, site);
        return op;
    }

    /** Updates installed features to the newest versions the site offers. */
    public UpdateOperation update(Collection<IInstallableUnit> installed, URI site) {
        UpdateOperation op = new UpdateOperation(new ProvisioningSession(agent), installed);
        configure(op, site);
        return op;
    }

    /** Removes features that were installed separately (not those the product itself consists of). */
    public UninstallOperation uninstall(Collection<IInstallableUnit> installed) {
        UninstallOperation op = new UninstallOperation(new ProvisioningSession(agent), installed);
        configure(op, null);
        return op;
    }

    private void configure(ProfileChangeOperation op, URI site) {
        op.setProfileId(profileId);
        ProvisioningContext context = new ProvisioningContext(agent);
        URI[] sites = site == null ? new URI[0] : new URI[] {site};
        context.setMetadataRepositories(sites);
        context.setArtifactRepositories(sites);
        op.setProvisioningContext(context);
    }

    /** Why a resolution failed, in words (p2's explanation of the missing requirement). */
    public static String explain(ProfileChangeOperation op, IStatus status) {
        StringBuilder b = new StringBuilder();
        String details = op.getResolutionDetails();
        if (details != null && !details.isBlank()) {
            b.append(details.strip());
        } else {
            b.append(status.getMessage());
        }
        appendChildren(b, status, "\n");
        return b.toString();
    }

    private static void appendChildren(StringBuilder b, IStatus status, String indent) {
        for (IStatus child : status.getChildren()) {
            if (!child.isOK() && b.indexOf(child.getMessage()) < 0) {
                b.append(indent).append(child.getMessage());
            }
            appendChildren(b, child, indent + "  ");
        }
    }

    static boolean isParleyFeature(IInstallableUnit iu) {
        return iu.getId().startsWith(FEATURE_PREFIX) && iu.getId().endsWith(GROUP_SUFFIX);
    }

    static String name(IInstallableUnit iu) {
        String name = iu.getProperty(IInstallableUnit.PROP_NAME, null);
        return name == null || name.isBlank() ? iu.getId() : name;
    }

    static String shortVersion(Version v) {
        String s = v.toString();
        // 0.1.0.202611251000 reads as 0.1.0 (qualifier) in the list; the tooltip shows it whole
        int dot = s.indexOf('.', s.indexOf('.', s.indexOf('.') + 1) + 1);
        return dot < 0 ? s : s.substring(0, dot) + " (" + s.substring(dot + 1) + ")";
    }

    /** Stops the p2 agent this object opened. */
    @Override
    public void close() {
        if (ownAgent) {
            agent.stop();
        }
    }
}

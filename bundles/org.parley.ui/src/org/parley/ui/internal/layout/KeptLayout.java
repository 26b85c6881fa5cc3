package org.parley.ui.internal.layout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Platform;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.MApplicationElement;
import org.eclipse.e4.ui.model.application.MContribution;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.e4.ui.model.application.ui.MElementContainer;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.emf.common.util.TreeIterator;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.parley.client.core.ParleyClient;
import org.parley.ui.ParleyUi;

/**
 * The window's layout is kept from one start to the next (E4 saves the application model on exit, and Parley no
 * longer starts with {@code -clearPersistedState}): window size, part sizes, the open chats. What the saved model
 * must not bring back is handled here, after the plug-ins' model fragments have been merged into it:
 * <ul>
 * <li>elements of plug-ins that are no longer installed (their menu items, handlers, add-ons, parts) and parts
 * made from a descriptor that no longer exists are removed ({@link #repair}), so that an old workspace starts with
 * the current plug-ins' menus and parts;</li>
 * <li>the parts made from descriptors (chats, viewers) belong to the account that opened them: at sign-out they
 * are parked in the application's snippets under that account, and only that account's sign-in brings them back
 * ({@link #park}, {@link #restore}), also after a restart; another user signing in on the same profile never sees
 * them.</li>
 * </ul>
 * A chat whose conversation the user has left closes itself (the chat plug-in's part).
 */
public final class KeptLayout {

    /** Persisted state of a part made from a descriptor: the account ("user@host:port") it belongs to. */
    public static final String ACCOUNT = "org.parley.ui.account";
    /** Persisted state of a parked part: the element id of the stack it was in. */
    static final String STACK = "org.parley.ui.parkedIn";
    /** Persisted state of a parked part: it was its stack's selected part. */
    static final String SELECTED = "org.parley.ui.parkedSelected";
    /** Tag of a parked part in the application's snippets. */
    static final String PARKED = "org.parley.ui.parked";
    /** Parked parts kept at most (of every account together); the oldest go first. */
    static final int MAX_PARKED = 200;

    private KeptLayout() {
    }

    /** The account a client is signed in to: "user@host:port", as the chat plug-in's settings name it. */
    public static String account(ParleyClient client) {
        return client.user() + "@" + client.config().host() + ":" + client.config().port();
    }

    /**
     * Removes what a saved model holds that the installed plug-ins no longer provide: elements contributed by a
     * bundle that is not installed, contributions (parts, handlers, add-ons, tool controls) whose class is in such
     * a bundle, and parts made from a descriptor that no longer exists.
     */
    public static void repair(MApplication application) {
        Set<String> descriptors = descriptorIds(application);
        List<EObject> gone = new ArrayList<>();
        for (TreeIterator<EObject> it = ((EObject) application).eAllContents(); it.hasNext();) {
            EObject o = it.next();
            if (o instanceof MApplicationElement e && isGone(e, descriptors)) {
                gone.add(o);
                it.prune();
            }
        }
        for (MUIElement snippet : List.copyOf(application.getSnippets())) {
            if (snippet instanceof MPart p && isGone(p, descriptors)) {
                gone.add((EObject) p);
            }
        }
        for (EObject o : gone) {
            if (o instanceof MUIElement u) {
                u.setToBeRendered(false);
            }
            ILog.of(KeptLayout.class).info("The saved layout's " + ((MApplicationElement) o).getElementId()
                    + " is no longer provided by the installed plug-ins: left out");
            EcoreUtil.delete(o, true);
        }
    }

    /**
     * Adds what the application's own model ({@code base}, Application.e4xmi) has and a saved model lacks: E4
     * merges the plug-ins' fragments into a saved model at every start, but not a newer version's application
     * model, so a command, handler, menu item, key binding or add-on added there since would not show in an old
     * workspace. Each element whose id the saved model does not have is copied under its parent (by id), after the
     * nearest earlier sibling the saved model has; its references (a menu item's command, say) point to the saved
     * model's elements of the same id.
     */
    public static void addFromBase(MApplication application, java.net.URL base) {
        EObject initialRoot;
        try {
            org.eclipse.emf.ecore.resource.ResourceSet set = new org.eclipse.emf.ecore.resource.impl.ResourceSetImpl();
            set.getResourceFactoryRegistry().getExtensionToFactoryMap().put("*",
                    new org.eclipse.emf.ecore.xmi.impl.XMIResourceFactoryImpl());
            initialRoot = set.getResource(org.eclipse.emf.common.util.URI.createURI(base.toString()), true)
                    .getContents().get(0);
        } catch (RuntimeException e) {
            ILog.of(KeptLayout.class).warn("The application model " + base + " cannot be read: " + e, e);
            return;
        }
        Map<String, EObject> saved = new java.util.HashMap<>();
        index((EObject) application, saved);
        Map<EObject, EObject> copies = new java.util.HashMap<>();
        List<EObject[]> added = new ArrayList<>();
        for (TreeIterator<EObject> it = initialRoot.eAllContents(); it.hasNext();) {
            EObject o = it.next();
            String id = o instanceof MApplicationElement e ? e.getElementId() : null;
            if (id == null || saved.containsKey(id)) {
                continue;
            }
            it.prune();
            EObject parent = o.eContainer();
            EObject target = parent == initialRoot ? (EObject) application
                    : parent instanceof MApplicationElement pe ? saved.get(pe.getElementId()) : null;
            org.eclipse.emf.ecore.EStructuralFeature feature = o.eContainingFeature();
            if (target == null || !feature.isMany() || !target.eClass().getEAllStructuralFeatures()
                    .contains(feature)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) target.eGet(feature);
            List<?> siblings = (List<?>) parent.eGet(feature);
            int at = 0;
            for (int i = siblings.indexOf(o) - 1; i >= 0; i--) {
                if (siblings.get(i) instanceof MApplicationElement sibling
                        && list.contains(saved.get(sibling.getElementId()))) {
                    at = list.indexOf(saved.get(sibling.getElementId())) + 1;
                    break;
                }
            }
            EcoreUtil.Copier copier = new EcoreUtil.Copier();
            EObject copy = copier.copy(o);
            copies.putAll(copier);
            list.add(at, copy);
            index(copy, saved);
            added.add(new EObject[] {o, copy});
            ILog.of(KeptLayout.class).info("The saved layout gets " + id + " from the application model");
        }
        // references of the copies: to the saved model's elements of the same id, or to other copies
        for (Map.Entry<EObject, EObject> c : copies.entrySet()) {
            for (org.eclipse.emf.ecore.EReference r : c.getKey().eClass().getEAllReferences()) {
                if (r.isContainment() || r.isContainer() || r.isDerived() || !r.isChangeable()
                        || !c.getKey().eIsSet(r)) {
                    continue;
                }
                if (r.isMany()) {
                    @SuppressWarnings("unchecked")
                    List<Object> to = (List<Object>) c.getValue().eGet(r);
                    for (Object t : (List<?>) c.getKey().eGet(r)) {
                        EObject mapped = map((EObject) t, copies, saved);
                        if (mapped != null) {
                            to.add(mapped);
                        }
                    }
                } else {
                    c.getValue().eSet(r, map((EObject) c.getKey().eGet(r), copies, saved));
                }
            }
        }
    }

    private static EObject map(EObject original, Map<EObject, EObject> copies, Map<String, EObject> saved) {
        if (original == null) {
            return null;
        }
        EObject copy = copies.get(original);
        if (copy != null) {
            return copy;
        }
        return original instanceof MApplicationElement e && e.getElementId() != null ? saved.get(e.getElementId())
                : null;
    }

    private static void index(EObject root, Map<String, EObject> byId) {
        if (root instanceof MApplicationElement e && e.getElementId() != null) {
            byId.putIfAbsent(e.getElementId(), root);
        }
        for (TreeIterator<EObject> it = root.eAllContents(); it.hasNext();) {
            if (it.next() instanceof MApplicationElement e && e.getElementId() != null) {
                byId.putIfAbsent(e.getElementId(), (EObject) e);
            }
        }
    }

    private static boolean isGone(MApplicationElement e, Set<String> descriptors) {
        if (missingBundle(e.getContributorURI(), "platform:/plugin/")) {
            return true;
        }
        if (e instanceof MContribution c && missingBundle(c.getContributionURI(), "bundleclass://")) {
            return true;
        }
        return e instanceof MPart p && p.getPersistedState().containsKey(ACCOUNT)
                && !descriptors.contains(p.getElementId());
    }

    private static boolean missingBundle(String uri, String scheme) {
        if (uri == null || !uri.startsWith(scheme)) {
            return false;
        }
        String rest = uri.substring(scheme.length());
        int slash = rest.indexOf('/');
        String bundle = slash < 0 ? rest : rest.substring(0, slash);
        return !bundle.isEmpty() && Platform.getBundle(bundle) == null;
    }

    private static Set<String> descriptorIds(MApplication application) {
        return application.getDescriptors().stream().map(MPartDescriptor::getElementId).collect(Collectors.toSet());
    }

    /** The parts made from descriptors in the application's windows: what belongs to the signed-in account. */
    private static List<MPart> accountParts(MApplication application, EModelService models) {
        Set<String> descriptors = descriptorIds(application);
        List<MPart> out = new ArrayList<>();
        for (MWindow w : application.getChildren()) {
            for (MPart p : models.findElements(w, null, MPart.class, null)) {
                if (descriptors.contains(p.getElementId()) || p.getPersistedState().containsKey(ACCOUNT)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Marks the account's parts that are not marked yet (opened since the last time) as {@code account}'s. */
    public static void tag(MApplication application, EModelService models, String account) {
        for (MPart p : accountParts(application, models)) {
            p.getPersistedState().putIfAbsent(ACCOUNT, account);
        }
    }

    /**
     * Signing in as {@code account} (at start, after the saved model is loaded, and after a sign-out): the parts
     * of any other account still in the windows (a saved model of whoever was signed in before) are parked, and
     * {@code account}'s parked parts come back where they were.
     */
    public static void signedIn(MApplication application, EModelService models, String account) {
        for (MPart p : accountParts(application, models)) {
            String owner = p.getPersistedState().get(ACCOUNT);
            if (owner != null && !owner.equals(account)) {
                park(application, p);
            }
        }
        restore(application, models, account);
    }

    /**
     * Signing out of {@code account}: its parts (chats, viewers) leave the window, parked for its next sign-in.
     */
    public static void signedOut(MApplication application, EModelService models, String account) {
        tag(application, models, account);
        List<MPart> all = accountParts(application, models);
        // The part in front of each stack goes last: taking one down earlier would bring another forward and
        // create it just to take it down again.
        all.sort(Comparator.comparing(p -> p.getParent() != null && p.getParent().getSelectedElement() == p));
        all.forEach(p -> park(application, p));
    }

    private static void park(MApplication application, MPart p) {
        MElementContainer<MUIElement> parent = p.getParent();
        Map<String, String> state = p.getPersistedState();
        if (parent != null) {
            if (parent.getElementId() != null) {
                state.put(STACK, parent.getElementId());
            }
            if (parent.getSelectedElement() == p) {
                state.put(SELECTED, "true");
                parent.setSelectedElement(null); // E4 picks another one in front, or the stack's empty state shows
            }
        }
        p.setToBeRendered(false);
        if (parent != null) {
            parent.getChildren().remove(p); // the stacks stay ("NoAutoCollapse" in Application.e4xmi)
        }
        p.getTags().add(PARKED);
        application.getSnippets().add(p);
        while (application.getSnippets().stream().filter(s -> s.getTags().contains(PARKED)).count() > MAX_PARKED) {
            application.getSnippets().stream().filter(s -> s.getTags().contains(PARKED)).findFirst()
                    .ifPresent(application.getSnippets()::remove);
        }
    }

    private static void restore(MApplication application, EModelService models, String account) {
        Set<String> descriptors = descriptorIds(application);
        List<MPart> back = new ArrayList<>();
        for (MUIElement s : List.copyOf(application.getSnippets())) {
            if (s instanceof MPart p && p.getTags().contains(PARKED)
                    && account.equals(p.getPersistedState().get(ACCOUNT))) {
                application.getSnippets().remove(p);
                p.getTags().remove(PARKED);
                if (descriptors.contains(p.getElementId())) {
                    back.add(p);
                }
            }
        }
        List<MPart> selected = new ArrayList<>();
        for (MPart p : back) {
            String stackId = p.getPersistedState().remove(STACK);
            boolean wasSelected = p.getPersistedState().remove(SELECTED) != null;
            MPartStack stack = models.find(stackId == null ? ParleyUi.MAIN_STACK : stackId, application)
                    instanceof MPartStack s ? s
                            : models.find(ParleyUi.MAIN_STACK, application) instanceof MPartStack main ? main : null;
            if (stack == null) {
                continue; // nowhere to show it (Parley inside an IDE): dropped
            }
            p.setToBeRendered(true);
            stack.getChildren().add(p);
            if (wasSelected) {
                selected.add(p);
            }
        }
        for (MPart p : selected) {
            p.getParent().setSelectedElement(p);
        }
    }
}

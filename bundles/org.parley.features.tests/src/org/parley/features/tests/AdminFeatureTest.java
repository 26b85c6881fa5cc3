package org.parley.features.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The Administration plug-in is its own feature, published on the update site in a category of its own, and not
 * in the default product: an organization installs it on its administrators' machines only.
 */
class AdminFeatureTest {

    private static final Path ROOT = Path.of("../..");

    private static List<String> ids(String xml, String element) {
        Matcher m = Pattern.compile("<" + element + "\\s+id=\"([^\"]+)\"").matcher(xml);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theAdminFeatureHoldsTheAdminBundlesAndNeedsOnlyTheCore() throws Exception {
        String feature = Files.readString(ROOT.resolve("features/org.parley.admin.feature/feature.xml"));
        assertThat(ids(feature, "plugin")).containsExactlyInAnyOrder("org.parley.admin.core", "org.parley.admin.ui");
        assertThat(feature).contains("<import feature=\"org.parley.core.feature\"");
    }

    @Test
    void itIsOnTheUpdateSiteInItsOwnCategoryButNotInTheProduct() throws Exception {
        String category = Files.readString(ROOT.resolve("releng/org.parley.repository/category.xml"));
        assertThat(category).containsPattern(
                "<feature id=\"org.parley.admin.feature\" version=\"0.0.0\">\\s*<category name=\"parley.admin\"/>");
        assertThat(category).contains("<category-def name=\"parley.admin\"");
        String product = Files.readString(ROOT.resolve("releng/org.parley.repository/org.parley.product"));
        assertThat(ids(product, "feature")).isNotEmpty().doesNotContain("org.parley.admin.feature");
        assertThat(ids(product, "plugin")).doesNotContain("org.parley.admin.core", "org.parley.admin.ui");
    }
}

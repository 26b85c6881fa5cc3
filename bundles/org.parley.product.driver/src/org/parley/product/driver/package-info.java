/**
 * Test only, in no feature: drives a whole Parley product from inside its own process. A product-level test adds
 * this bundle (and org.parley.ui.testing) to a copy of a product's bundles.info and starts it with
 * {@code -Dparley.driver.script=FILE -Dparley.driver.out=DIR}; {@link org.parley.product.driver.Driver} runs the
 * script's commands on the display thread and writes {@code result.properties} and screenshots to DIR.
 */
package org.parley.product.driver;

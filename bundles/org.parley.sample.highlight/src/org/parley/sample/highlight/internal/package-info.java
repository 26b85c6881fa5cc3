/** The highlighter: a table of languages and a one-pass scanner that colours comments, strings, numbers and keywords. */
package org.parley.sample.highlight.internal;

package org.parley.bench;
final class History { History(Options o, Target t) {} int run() { throw new UnsupportedOperationException(); } }

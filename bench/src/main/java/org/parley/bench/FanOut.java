package org.parley.bench;
final class FanOut { FanOut(Options o, Target t) {} int run() { throw new UnsupportedOperationException(); } }

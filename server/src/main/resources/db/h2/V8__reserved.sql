-- Parley schema, version 8: reserved for message edit and delete (issue 13), which is built on another branch and
-- brings its own V8 when merged; this placeholder only keeps the versions contiguous until then. It changes nothing.
SELECT 1;

/*
 * replay/schema.h — the SQL schema of a dlsync database (docs/schema.md).
 * No locks.
 */
#ifndef DLSYNC_REPLAY_SCHEMA_H
#define DLSYNC_REPLAY_SCHEMA_H

/* Bumped on every incompatible change; stored in meta.schema_version. */
#define SCHEMA_VERSION 3

/* Tables, each documented in its CREATE text.  Idempotent (IF NOT EXISTS). */
extern const char schema_tables[];
/* Indexes, created after a bulk load.  Idempotent. */
extern const char schema_indexes[];
/* Views for the common questions.  Idempotent. */
extern const char schema_views[];

#endif

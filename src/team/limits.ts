/**
 * The bounds that keep a bad or hostile template from filling memory, the disk or the run's time.
 * The README's "Team templates" section states them; change both together.
 */

const MiB = 1024 * 1024;

/** A downloaded tarball, as it arrives (compressed). */
export const MAX_DOWNLOAD_BYTES = 20 * MiB;
/** The whole archive once decompressed, every entry counted, inside the template's folder or not. */
export const MAX_ARCHIVE_BYTES = 100 * MiB;
/** Entries in the whole archive (files, folders, links, metadata). */
export const MAX_ARCHIVE_ENTRIES = 10_000;
/** The longest path of an entry in the archive, in characters. */
export const MAX_ARCHIVE_PATH_LENGTH = 1024;
/** The deepest path of an entry in the archive, in folders. */
export const MAX_ARCHIVE_PATH_DEPTH = 32;
/** A pax or GNU long-name header's own data. */
export const MAX_ARCHIVE_METADATA_BYTES = 64 * 1024;

/** A template's manifest, agentcore-template.json. */
export const MAX_MANIFEST_BYTES = 256 * 1024;
/** Files under a template's files/ (the rest of its folder is never read, nor kept from a download). */
export const MAX_FILES = 1000;
/** Bytes of the files under a template's files/. */
export const MAX_BYTES = 10 * MiB;
/** The deepest file under files/, in folders. */
export const MAX_DEPTH = 32;

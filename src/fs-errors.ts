/**
 * File-system failures in words: what the error code means for someone writing a project, so that
 * every such failure is one line (exit code 2) rather than a stack trace.
 */

const CAUSES: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EFBIG: "a file too large for the file system",
  ENAMETOOLONG: "a name or path too long for the file system",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "a folder is in the way",
  EEXIST: "something else created it meanwhile",
  ENOTEMPTY: "something else wrote there meanwhile",
  ENOENT: "something else removed it meanwhile",
  EXDEV: "it crosses into another file system (a mount point inside the project)",
  EBUSY: "it is busy (a mount point?)",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
  ENFILE: "too many open files on the system",
  EIO: "an input/output error",
};

/** The error code of a failed system call (ENOSPC, EACCES…), or undefined for any other error. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** "no space left on the device (ENOSPC)"; for an unknown code, the code alone. */
export function cause(error: unknown): string {
  const code = errorCode(error) ?? "error";
  const words = CAUSES[code];
  return words ? `${words} (${code})` : code;
}

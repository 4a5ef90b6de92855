import { closeSync, constants, copyFileSync, mkdirSync, openSync, symlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import {
  MAX_ARCHIVE_BYTES,
  MAX_ARCHIVE_ENTRIES,
  MAX_ARCHIVE_METADATA_BYTES,
  MAX_ARCHIVE_PATH_DEPTH,
  MAX_ARCHIVE_PATH_LENGTH,
  MAX_BYTES,
  MAX_FILES,
  MAX_MANIFEST_BYTES,
} from "./limits.js";

/**
 * A template's tar archive (ustar, pax and GNU long names), read as it streams in and unpacked
 * into a folder. Of the archive's one top-level folder (as GitHub and GitLab make them), only the
 * template's manifest and files/ under `subdir` are written; every entry counts against the
 * archive's bounds (limits.ts) whether it is written or not, and each bound is checked before the
 * bytes it covers are written. What is written carries no privileges: no owner, no
 * setuid/setgid/sticky bits, modes 0644 or 0755. Devices, FIFOs, links leaving the template and
 * anything written through a link are refused.
 */

/** Why an archive is refused; one line. */
export class ArchiveError extends Error {}

const BLOCK = 512;
const MANIFEST = "agentcore-template.json";
const FILES = "files";

const TYPES: Record<string, string> = {
  "3": "a character device",
  "4": "a block device",
  "6": "a FIFO",
  S: "a sparse file",
  V: "a volume label",
  M: "a multi-volume continuation",
};

interface Pending {
  path?: string;
  linkpath?: string;
  size?: number;
}

export class TemplateUnpacker {
  /** The commit `git archive` recorded (GitHub and GitLab tarballs), from a first pax global header. */
  commit: string | undefined;
  private header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Data bytes of the current entry still to come, and the padding after them. */
  private remaining = 0;
  private padding = 0;
  private entries = 0;
  private bytes = 0;
  private ended = false;
  private pending: Pending = {};
  /** Where the current entry's data goes: a file descriptor, a metadata buffer, or nowhere. */
  private sink: { fd: number } | { meta: Buffer[]; type: string } | undefined;
  private keptFiles = 0;
  private keptBytes = 0;
  /** What each path inside the template is, as written so far (folders made on the way included). */
  private readonly written = new Map<string, "file" | "dir" | "link">();
  /** The size of each file written, for the hard links to it. */
  private readonly sizes = new Map<string, number>();
  private readonly subdir: string[];

  constructor(
    private readonly into: string,
    subdir: string,
  ) {
    this.subdir = subdir === "" ? [] : subdir.split("/");
    mkdirSync(into, { mode: 0o755 });
  }

  write(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    if (this.bytes > MAX_ARCHIVE_BYTES)
      throw new ArchiveError(`it unpacks to more than ${MAX_ARCHIVE_BYTES / 1024 / 1024} MB`);
    let at = 0;
    while (at < chunk.byteLength) {
      if (this.ended) return; // what follows the end-of-archive blocks is ignored, as tar does
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.byteLength - at);
        this.data(chunk.subarray(at, at + take));
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) this.finishEntry();
      } else if (this.padding > 0) {
        const take = Math.min(this.padding, chunk.byteLength - at);
        this.padding -= take;
        at += take;
      } else {
        const take = Math.min(BLOCK - this.headerFill, chunk.byteLength - at);
        this.header.set(chunk.subarray(at, at + take), this.headerFill);
        this.headerFill += take;
        at += take;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.startEntry();
        }
      }
    }
  }

  /** The archive is complete: refused if it stopped inside an entry. */
  end(): void {
    if (this.entries === 0 && !this.ended) throw new ArchiveError("not a tar archive (too short for one)");
    if (this.remaining > 0 || this.headerFill > 0 || this.sink)
      throw new ArchiveError("it ends in the middle of an entry (a truncated download?)");
  }

  private startEntry(): void {
    const header = this.header;
    if (header.every((byte) => byte === 0)) {
      this.ended = true;
      return;
    }
    if (!validChecksum(header)) throw new ArchiveError("not a tar archive (a header's checksum is wrong)");
    if (++this.entries > MAX_ARCHIVE_ENTRIES) throw new ArchiveError(`more than ${MAX_ARCHIVE_ENTRIES} entries`);
    const type = String.fromCharCode(header[156]!);
    const metadata = type === "x" || type === "g" || type === "L" || type === "K";
    // A pax header's size stands for the next entry's (past what 12 octal digits hold).
    const size = (metadata ? undefined : this.pending.size) ?? octal(header, 124, 12);
    if (size > MAX_ARCHIVE_BYTES - this.bytes + BLOCK)
      throw new ArchiveError(`it unpacks to more than ${MAX_ARCHIVE_BYTES / 1024 / 1024} MB`);
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;

    if (metadata) {
      if (size > MAX_ARCHIVE_METADATA_BYTES)
        throw new ArchiveError(`a metadata header of more than ${MAX_ARCHIVE_METADATA_BYTES / 1024} KB`);
      this.sink = { meta: [], type };
      if (size === 0) this.finishEntry();
      return;
    }

    const ustar = header.subarray(257, 262).toString("latin1") === "ustar";
    const name =
      ustar && header[345] !== 0 ? `${text(header, 345, 155)}/${text(header, 0, 100)}` : text(header, 0, 100);
    const raw = this.pending.path ?? name;
    const linkTarget = this.pending.linkpath ?? text(header, 157, 100);
    this.pending = {};
    const parts = archivePath(raw);
    const rel = this.templatePath(parts);
    const shown = rel?.join("/") ?? raw;
    const kind = type === "0" || type === "\0" || type === "7" ? "file" : type === "5" ? "dir" : type;
    if (kind !== "file" && kind !== "dir" && kind !== "1" && kind !== "2")
      throw new ArchiveError(
        `${JSON.stringify(raw)} is ${TYPES[type] ?? `an entry of type ${JSON.stringify(type)}`}, not a file, a folder or a link`,
      );
    if (kind === "2") linkInside(shown, linkTarget, rel ? rel.slice(0, -1) : parts.slice(0, -1));

    if (!rel || rel.length === 0 || !(rel[0] === FILES || (rel.length === 1 && rel[0] === MANIFEST))) return;
    // Kept: the manifest, and files/.
    const relPath = rel.join("/");
    const parents = rel.slice(0, -1).map((_, index) => rel.slice(0, index + 1).join("/"));
    for (const parent of parents) {
      const was = this.written.get(parent);
      if (was === "link")
        throw new ArchiveError(`${JSON.stringify(relPath)} lies under the link ${JSON.stringify(parent)}; refused`);
      if (was === "file")
        throw new ArchiveError(`${JSON.stringify(relPath)} lies under the file ${JSON.stringify(parent)}`);
    }
    const before = this.written.get(relPath);
    if (before !== undefined && !(before === "dir" && kind === "dir"))
      throw new ArchiveError(`${JSON.stringify(relPath)} is in the archive twice`);
    const target = join(this.into, ...rel);
    if (kind === "dir") {
      if (before === undefined) mkdirSync(target, { recursive: true, mode: 0o755 });
      this.written.set(relPath, "dir");
      return;
    }
    // A hard link is a copy here: its bytes count as the file's do.
    const source = kind === "1" ? this.templatePath(archivePath(linkTarget))?.join("/") : undefined;
    const bytes = kind === "1" ? (this.sizes.get(source ?? "") ?? 0) : kind === "2" ? 0 : size;
    if (rel[0] === FILES) {
      if (++this.keptFiles > MAX_FILES) throw new ArchiveError(`more than ${MAX_FILES} files under files/`);
      this.keptBytes += bytes;
      if (this.keptBytes > MAX_BYTES)
        throw new ArchiveError(`more than ${MAX_BYTES / 1024 / 1024} MB of files under files/`);
    } else if (bytes > MAX_MANIFEST_BYTES) {
      throw new ArchiveError(`${MANIFEST} is larger than ${MAX_MANIFEST_BYTES / 1024} KB`);
    }
    mkdirSync(join(this.into, ...rel.slice(0, -1)), { recursive: true, mode: 0o755 });
    for (const parent of parents) if (!this.written.has(parent)) this.written.set(parent, "dir");
    if (kind === "2") {
      symlinkSync(linkTarget, target);
      this.written.set(relPath, "link");
    } else if (kind === "1") {
      if (source === undefined || this.written.get(source) !== "file")
        throw new ArchiveError(
          `${JSON.stringify(relPath)} is a hard link to ${JSON.stringify(linkTarget)}, outside the template's files`,
        );
      copyFileSync(join(this.into, source), target, constants.COPYFILE_EXCL);
      this.written.set(relPath, "file");
      this.sizes.set(relPath, bytes);
    } else {
      const executable = (octal(header, 100, 8) & 0o111) !== 0;
      // O_EXCL: never through a link or onto a file already there.
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
      this.sink = { fd: openSync(target, flags, executable ? 0o755 : 0o644) };
      this.written.set(relPath, "file");
      this.sizes.set(relPath, size);
      if (size === 0) this.finishEntry();
    }
  }

  private data(chunk: Uint8Array): void {
    const sink = this.sink;
    if (!sink) return;
    if ("fd" in sink) {
      for (let done = 0; done < chunk.byteLength; ) done += writeSync(sink.fd, chunk, done);
    } else sink.meta.push(Buffer.from(chunk));
  }

  private finishEntry(): void {
    const sink = this.sink;
    this.sink = undefined;
    if (!sink) return;
    if ("fd" in sink) {
      closeSync(sink.fd);
      return;
    }
    const data = Buffer.concat(sink.meta);
    if (sink.type === "L" || sink.type === "K") {
      const value = data.toString("utf8").replace(/\0.*$/s, "");
      this.pending[sink.type === "L" ? "path" : "linkpath"] = value;
      return;
    }
    const records = paxRecords(data);
    if (sink.type === "g") {
      // git archive writes the commit as the first entry; GitHub and GitLab serve git archive's tarballs.
      if (this.entries === 1) this.commit = records.comment?.match(/^([0-9a-f]{40}|[0-9a-f]{64})$/)?.[1];
      return;
    }
    if (records.path !== undefined) this.pending.path = records.path;
    if (records.linkpath !== undefined) this.pending.linkpath = records.linkpath;
    if (records.size !== undefined) {
      if (!/^\d{1,15}$/.test(records.size)) throw new ArchiveError("a pax header with a bad size");
      this.pending.size = Number(records.size);
    }
  }

  /** The path inside the template (the top-level folder and `subdir` dropped), or undefined outside it. */
  private templatePath(parts: string[]): string[] | undefined {
    const inside = parts.slice(1);
    if (inside.length < this.subdir.length || this.subdir.some((part, index) => inside[index] !== part))
      return undefined;
    return inside.slice(this.subdir.length);
  }
}

/** An entry's path as parts, `./` dropped; refused if it leaves the archive or passes a bound. */
function archivePath(raw: string): string[] {
  if (raw.length > MAX_ARCHIVE_PATH_LENGTH)
    throw new ArchiveError(`an entry's path is longer than ${MAX_ARCHIVE_PATH_LENGTH} characters`);
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw))
    throw new ArchiveError(`the entry ${JSON.stringify(raw)} would be written outside the template`);
  const parts = raw.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes(".."))
    throw new ArchiveError(`the entry ${JSON.stringify(raw)} would be written outside the template`);
  if (parts.length > MAX_ARCHIVE_PATH_DEPTH)
    throw new ArchiveError(`an entry's path is more than ${MAX_ARCHIVE_PATH_DEPTH} folders deep`);
  return parts;
}

/** A symbolic link must stay inside the folder it is unpacked into, followed from where it is. */
function linkInside(shown: string, target: string, folder: string[]): void {
  const outside = () =>
    new ArchiveError(`${JSON.stringify(shown)} is a link to ${JSON.stringify(target)}, outside the template`);
  if (target.startsWith("/") || /^[A-Za-z]:/.test(target) || target.includes("\\")) throw outside();
  const resolved = [...folder];
  for (const part of target.split("/")) {
    if (part === "..") {
      if (resolved.length === 0) throw outside();
      resolved.pop();
    } else if (part !== "." && part !== "") resolved.push(part);
  }
}

function text(block: Buffer, start: number, length: number): string {
  return block
    .subarray(start, start + length)
    .toString("utf8")
    .replace(/\0.*$/s, "");
}

/** A numeric header field: octal; GNU's base-256 (high bit set) means a size past any bound here. */
function octal(block: Buffer, start: number, length: number): number {
  if ((block[start]! & 0x80) !== 0) return Number.MAX_SAFE_INTEGER;
  const digits = text(block, start, length).trim();
  if (!/^[0-7]*$/.test(digits)) throw new ArchiveError("not a tar archive (a header field is not a number)");
  return digits === "" ? 0 : Number.parseInt(digits, 8);
}

function validChecksum(header: Buffer): boolean {
  const stored = octal(header, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let index = 0; index < BLOCK; index++) {
    const byte = index >= 148 && index < 156 ? 0x20 : header[index]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  for (const match of data.toString("utf8").matchAll(/^\d+ ([^=\n]+)=(.*)$/gm)) records[match[1]!] = match[2]!;
  return records;
}

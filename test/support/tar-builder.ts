import { gzipSync } from "node:zlib";

/**
 * Tar archives written entry by entry, for the shapes `tar` itself will not make: devices, FIFOs,
 * setuid files owned by root, paths with `..`, entries that claim a size they do not carry.
 * Each header is ustar with a correct checksum; a long path gets a pax header, as GNU tar does.
 */

export interface Entry {
  path: string;
  /** The tar type flag: "0" file (default), "5" folder, "2" symlink, "1" hard link, "3" device… */
  type?: string;
  linkpath?: string;
  data?: Buffer | string;
  /** The size the header claims (default: the data's); data is padded with zeros up to it. */
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
}

const BLOCK = 512;

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, "0")}\0`;
}

function header(name: string, type: string, size: number, entry: Entry): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name.slice(0, 100), 0, "utf8");
  block.write(octal(entry.mode ?? (type === "5" ? 0o755 : 0o644), 8), 100, "latin1");
  block.write(octal(entry.uid ?? 1000, 8), 108, "latin1");
  block.write(octal(entry.gid ?? 1000, 8), 116, "latin1");
  block.write(octal(size, 12), 124, "latin1");
  block.write(octal(0, 12), 136, "latin1");
  block.write(" ".repeat(8), 148, "latin1");
  block.write(type, 156, "latin1");
  block.write((entry.linkpath ?? "").slice(0, 100), 157, "utf8");
  block.write("ustar\u000000", 257, "latin1");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  return block;
}

function padded(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK)]);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + Buffer.byteLength(body) !== length)
    length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

/** An uncompressed tar archive of `entries`, ended by two zero blocks (unless `unterminated`). */
export function tarOf(entries: Entry[], options: { unterminated?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? "0";
    const data = Buffer.from(entry.data ?? "");
    const size = entry.size ?? data.length;
    const long = Buffer.byteLength(entry.path) > 100 || Buffer.byteLength(entry.linkpath ?? "") > 100;
    if (long) {
      const records = Buffer.from(
        paxRecord("path", entry.path) + (entry.linkpath ? paxRecord("linkpath", entry.linkpath) : ""),
      );
      blocks.push(header("PaxHeader", "x", records.length, {} as Entry), padded(records));
    }
    blocks.push(header(entry.path, type, size, entry));
    if (size > 0) blocks.push(padded(Buffer.concat([data, Buffer.alloc(Math.max(0, size - data.length))])));
  }
  if (!options.unterminated) blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

/** The same, gzipped. */
export function tarGzOf(entries: Entry[], options: { unterminated?: boolean } = {}): Buffer {
  return gzipSync(tarOf(entries, options));
}

/** The entries of a minimal valid template under `top/`: a manifest and one file, plus `more`. */
export function templateEntries(more: Entry[] = [], top = "top"): Entry[] {
  return [
    { path: `${top}/`, type: "5" },
    { path: `${top}/agentcore-template.json`, data: JSON.stringify({ name: "tarred", version: "1.0.0" }) },
    { path: `${top}/files/`, type: "5" },
    { path: `${top}/files/NOTES.md`, data: "notes\n" },
    ...more,
  ];
}

/**
 * A .tar.gz whose entry `path` holds `bytes` zeros, made of gzip members (one per MiB of zeros,
 * all the same), so a bomb of any size is about a kilobyte per MiB and never in memory whole.
 */
export function zerosBombGz(entries: Entry[], path: string, bytes: number): Buffer {
  const MiB = 1024 * 1024;
  const prefix = tarOf([...entries, { path, size: 0 }], { unterminated: true });
  // The last header claims `bytes`; rewrite its size field and checksum.
  const header = prefix.subarray(prefix.length - 512);
  header.write(`${bytes.toString(8).padStart(11, "0")}\0`, 124, "latin1");
  header.write(" ".repeat(8), 148, "latin1");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  const zeros = gzipSync(Buffer.alloc(MiB));
  const members = [gzipSync(prefix)];
  for (let done = 0; done + MiB <= bytes; done += MiB) members.push(zeros);
  if (bytes % MiB) members.push(gzipSync(Buffer.alloc(bytes % MiB)));
  members.push(gzipSync(Buffer.alloc(1024)));
  return Buffer.concat(members);
}

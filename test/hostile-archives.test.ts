import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { CLI, cacheContents, fetchFolders, hostile, QUIET, type Run, type RunOptions } from "./support/hostile.js";
import { type Entry, tarGzOf, tarOf, templateEntries, zerosBombGz } from "./support/tar-builder.js";

// A downloaded archive is bounded while it streams (size, entries, paths), gives no privileges, holds
// no devices or links out, is never written through a link, and a full or read-only cache is one line.
const { work, env, run, refused, serve } = hostile("hostile-archives");

/** A run measured by GNU time: its peak memory in KB. */
function measured(args: string[], options: RunOptions): Promise<Run & { peakKb: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      "/usr/bin/time",
      ["-f", "peak %M", process.execPath, CLI, ...args],
      { cwd: work, env: env(options), timeout: 120_000, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        const peakKb = Number(/peak (\d+)\s*$/.exec(stderr)?.[1] ?? "0");
        resolve({
          code: error ? ((error as { code?: number | null }).code ?? null) : 0,
          stdout,
          stderr: stderr.replace(/(Command exited with non-zero status \d+\n)?peak \d+\s*$/, ""),
          ms: Date.now() - started,
          peakKb,
        });
      },
    );
  });
}

const BOMBS: [string, () => Buffer, RegExp][] = [
  [
    "300 MB of zeros in one file outside files/",
    () => zerosBombGz(templateEntries(), "top/docs/big.bin", 300 * 1024 * 1024),
    /unpacks to more than 100 MB/,
  ],
  [
    "150 files of 1 MB outside files/",
    () =>
      Buffer.concat([
        gzipSync(tarOf(templateEntries(), { unterminated: true })),
        ...Array.from({ length: 150 }, (_, index) =>
          gzipSync(tarOf([{ path: `top/docs/${index}.bin`, size: 1024 * 1024 }], { unterminated: true })),
        ),
        gzipSync(Buffer.alloc(1024)),
      ]),
    /unpacks to more than 100 MB/,
  ],
  [
    "20,000 empty files outside files/",
    () => tarGzOf(templateEntries(Array.from({ length: 20_000 }, (_, index) => ({ path: `top/docs/${index}` })))),
    /more than 10000 entries/,
  ],
  [
    "1,100 files under files/",
    () =>
      tarGzOf(
        templateEntries(Array.from({ length: 1_100 }, (_, index) => ({ path: `top/files/f${index}.md`, data: "x" }))),
      ),
    /more than 1000 files under files\//,
  ],
  [
    "11 MB of files under files/",
    () => tarGzOf(templateEntries([{ path: "top/files/big.md", size: 11 * 1024 * 1024 }])),
    /more than 10 MB of files under files\//,
  ],
  [
    "a path 40 folders deep",
    () => tarGzOf(templateEntries([{ path: `top/files/${"d/".repeat(40)}x.md`, data: "x" }])),
    /more than 32 folders deep/,
  ],
  [
    "a path of 1,220 characters",
    () => tarGzOf(templateEntries([{ path: `top/docs/${`${"a".repeat(59)}/`.repeat(20)}x`, data: "x" }])),
    /longer than 1024 characters/,
  ],
  [
    "a pax header of 100 KB",
    () => tarGzOf(templateEntries([{ path: `top/docs/${"a/".repeat(50_000)}x` }])),
    /metadata header of more than 64 KB/,
  ],
  [
    "a manifest of 300 KB",
    () => tarGzOf([{ path: "top/agentcore-template.json", size: 300 * 1024 }]),
    /larger than 256 KB/,
  ],
];

for (const [index, [what, make, message]] of BOMBS.entries()) {
  test(`an archive bomb is refused while it streams, and nothing of it is cached: ${what}`, async () => {
    const cache = mkdtempSync(join(work, "cache-bomb-"));
    const project = `bomb-${index}`;
    const result = await measured([project, "--template", serve(make()), ...QUIET], { cache });
    assert.equal(result.code, 2, `${result.ms} ms: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message);
    assert.ok(result.peakKb < 250_000, `peak memory ${Math.round(result.peakKb / 1024)} MB`);
    assert.deepEqual(
      cacheContents(cache).filter((name) => !name.endsWith(".lock")),
      [],
      "something of it was cached",
    );
    assert.ok(!existsSync(join(work, project)), "a project was written");
  });
}

test("an archive gives no privileges: no owner, no setuid, setgid or sticky bit, modes 0644 or 0755", async () => {
  const cache = mkdtempSync(join(work, "cache-modes-"));
  const url = serve(
    tarGzOf(
      templateEntries([
        { path: "top/files/tool.sh", data: "#!/bin/sh\nid\n", mode: 0o4755, uid: 0, gid: 0 },
        { path: "top/files/group.sh", data: "#!/bin/sh\nid\n", mode: 0o2775, uid: 12345, gid: 12345 },
        { path: "top/files/world.txt", data: "w\n", mode: 0o666 },
        { path: "top/files/sticky/", type: "5", mode: 0o1777 },
        { path: "top/files/sticky/in.txt", data: "i\n", mode: 0o600 },
        { path: "top/tools/idtool", data: "#!/bin/sh\nid\n", mode: 0o4755, uid: 0 },
      ]),
    ),
  );
  const result = await run(["modes", "--template", url, ...QUIET], { cache });
  assert.equal(result.code, 0, result.stderr);
  const [entry] = readdirSync(join(cache, "templates")).filter((name) => /^[0-9a-f]{24}$/.test(name));
  const files = join(cache, "templates", entry!, "template", "files");
  const expected: [string, number][] = [
    ["tool.sh", 0o755],
    ["group.sh", 0o755],
    ["world.txt", 0o644],
    ["sticky", 0o755],
    ["sticky/in.txt", 0o644],
  ];
  for (const [path, mode] of expected) {
    const stat = statSync(join(files, path));
    assert.equal((stat.mode & 0o7777).toString(8), mode.toString(8), path);
    assert.equal(stat.uid, process.getuid!(), `${path} is owned by ${stat.uid}`);
  }
  assert.ok(!existsSync(join(cache, "templates", entry!, "template", "tools")), "files outside the template were kept");
});

const REFUSED_ENTRIES: [string, Entry, RegExp][] = [
  ["a character device under files/", { path: "top/files/tty", type: "3" }, /a character device, not a file/],
  ["a block device outside files/", { path: "top/docs/sda", type: "4" }, /a block device, not a file/],
  ["a FIFO", { path: "top/files/pipe", type: "6" }, /a FIFO, not a file/],
  [
    "a link to an absolute path, outside files/",
    { path: "top/docs/passwd", type: "2", linkpath: "/etc/passwd" },
    /outside the template/,
  ],
  [
    "a link out of the template",
    { path: "top/files/up", type: "2", linkpath: "../../../../etc/passwd" },
    /outside the template/,
  ],
  [
    "a hard link to a file outside files/",
    { path: "top/files/h", type: "1", linkpath: "top/README.md" },
    /hard link .* outside the template's files/,
  ],
  ["a hard link with ..", { path: "top/files/h", type: "1", linkpath: "top/../../etc/passwd" }, /outside the template/],
  ["a path with ..", { path: "top/files/../../../../tmp/x" }, /would be written outside the template/],
  ["an absolute path", { path: "/tmp/x" }, /would be written outside the template/],
];

for (const [what, entry, message] of REFUSED_ENTRIES) {
  test(`an archive entry is refused at the tar level: ${what}`, async () => {
    const cache = mkdtempSync(join(work, "cache-entry-"));
    await refused(["entry", "--template", serve(tarGzOf(templateEntries([entry]))), ...QUIET], message, { cache });
    assert.deepEqual(
      cacheContents(cache).filter((name) => !name.endsWith(".lock")),
      [],
    );
  });
}

test("nothing is written through a link or a file, an entry is not written twice, hard links count", async () => {
  const cache = mkdtempSync(join(work, "cache-through-"));
  const through = templateEntries([
    { path: "top/files/sub/", type: "5" },
    { path: "top/files/link", type: "2", linkpath: "sub" },
    { path: "top/files/link/x.md", data: "x" },
  ]);
  await refused(["through", "--template", serve(tarGzOf(through)), ...QUIET], /lies under the link "files\/link"/, {
    cache,
  });
  const under = templateEntries([{ path: "top/files/NOTES.md/x.md", data: "x" }]);
  await refused(["under", "--template", serve(tarGzOf(under)), ...QUIET], /lies under the file "files\/NOTES\.md"/, {
    cache,
  });
  const implicit = templateEntries([
    { path: "top/files/dir/a.md", data: "a" },
    { path: "top/files/dir", data: "now a file" },
  ]);
  await refused(
    ["implicit", "--template", serve(tarGzOf(implicit)), ...QUIET],
    /"files\/dir" is in the archive twice/,
    {
      cache,
    },
  );
  // Twenty hard links to a 1 MB file are twenty copies of it: their bytes count.
  const copies = templateEntries([
    { path: "top/files/one.md", data: "x".repeat(1024 * 1024) },
    ...Array.from(
      { length: 20 },
      (_, index): Entry => ({ path: `top/files/copy${index}.md`, type: "1", linkpath: "top/files/one.md" }),
    ),
  ]);
  await refused(["copies", "--template", serve(tarGzOf(copies)), ...QUIET], /more than 10 MB of files under files\//, {
    cache,
  });
  const twice = templateEntries([{ path: "top/files/NOTES.md", data: "again" }]);
  await refused(
    ["twice", "--template", serve(tarGzOf(twice)), ...QUIET],
    /"files\/NOTES\.md" is in the archive twice/,
    { cache },
  );
});

test("a download that stops mid-entry, or is larger than 20 MB, is refused", async () => {
  const whole = tarOf(templateEntries([{ path: "top/files/more.md", data: "m".repeat(5000) }]));
  await refused(
    ["cut", "--template", serve(gzipSync(whole.subarray(0, whole.length - 4096))), ...QUIET],
    /ends in the middle of an entry/,
  );
  // Random bytes do not compress: 21 MB of them make a .tar.gz of more than 20 MB.
  const large = tarGzOf(templateEntries([{ path: "top/docs/random.bin", data: randomBytes(21 * 1024 * 1024) }]));
  for (const chunked of [true, false])
    await refused(["large", "--template", serve(large, { chunked }), ...QUIET], /larger than 20 MB/);
  await refused(["not-tar", "--template", serve(gzipSync("not a tarball at all")), ...QUIET], /not a tar archive/);
  const badGzip = Buffer.concat([Buffer.from([0x1f, 0x8b]), randomBytes(200)]);
  await refused(["not-gzip", "--template", serve(badGzip), ...QUIET], /not a \.tar\.gz \(.*\); refused/);
});

/** A tmpfs of `size` mounted for the test (root only), or undefined where mounting is not allowed. */
function mounted(options: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(join(work, "mount-"));
  const result = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  return result.status === 0 ? dir : undefined;
}

test("a full or read-only cache folder is one line naming it, and leaves nothing behind", async (t) => {
  const full = mounted("size=1m");
  if (!full) return t.skip("needs root and tmpfs");
  try {
    const url = serve(tarGzOf(templateEntries([{ path: "top/files/big.md", data: "x".repeat(3 * 1024 * 1024) }])));
    await refused(["full", "--template", url, ...QUIET], /cannot use the cache folder .*templates \(ENOSPC\)/, {
      cache: full,
    });
    assert.deepEqual(fetchFolders(full), [], "a fetch folder was left");
  } finally {
    spawnSync("umount", [full]);
  }
  const readOnly = mounted("size=1m,ro");
  try {
    const url = serve(tarGzOf(templateEntries()));
    await refused(["read-only", "--template", url, ...QUIET], /cannot use the cache folder .* \(EROFS\)/, {
      cache: readOnly!,
    });
  } finally {
    spawnSync("umount", [readOnly!]);
  }
});

// A registry on the loopback that serves one package from its packed tarball, for scripts/bench.mjs:
// `npm create` then installs and caches it exactly as it does a published package. (Given a
// tarball path instead, npm exec reinstalls it on every run, which is not what users see.) It runs
// in its own process because the bench blocks on the commands it times.
//
//   node scripts/bench-registry.mjs PACKAGE_DIR TARBALL    # prints its URL, serves until killed
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename, join } from "node:path";

const [packageDir, tarballPath] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
const tarball = readFileSync(tarballPath);
const file = basename(tarballPath);

const server = createServer((request, response) => {
  const base = `http://127.0.0.1:${server.address().port}`;
  if (request.url === `/${manifest.name}`) {
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({
        name: manifest.name,
        "dist-tags": { latest: manifest.version },
        versions: {
          [manifest.version]: {
            ...manifest,
            _id: `${manifest.name}@${manifest.version}`,
            dist: {
              tarball: `${base}/${manifest.name}/-/${file}`,
              integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
              shasum: createHash("sha1").update(tarball).digest("hex"),
            },
          },
        },
      }),
    );
  } else if (request.url === `/${manifest.name}/-/${file}`) {
    response.setHeader("content-type", "application/octet-stream");
    response.end(tarball);
  } else {
    response.statusCode = 404;
    response.end();
  }
});
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}/`));

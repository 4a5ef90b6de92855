import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { readTree } from "./fixtures.js";
import { hostile, QUIET, TOKEN } from "./support/hostile.js";
import { startTemplateServer, type TemplateServer, tarballOf } from "./support/template-server.js";

// A template's source: credentials in its URL are refused before any request, references cannot
// leave their repository (with the token), redirects cannot go down to http or take the token along.
const { work, server, run, refused, template, serve } = hostile("hostile-sources");

const CREDENTIAL_PARAMETERS = [
  "X-Goog-Signature=abc",
  "X-Goog-Credential=abc",
  "x-goog-security-token=abc",
  "X-Amz-Signature=abc",
  "X-Amz-Security-Token=abc",
  "X-Amz-Credential=abc",
  "sig=abc",
  "Signature=abc",
  "token=abc",
  "secret=abc",
  "client_secret=abc",
  "key=abc",
  "password=abc",
  "passwd=abc",
  "access_token=abc",
  "auth_token=abc",
  "private_token=abc",
  "api-key=abc",
  "AWSAccessKeyId=abc",
  "session=abc",
  "jwt=abc",
];

for (const parameter of CREDENTIAL_PARAMETERS) {
  test(`a template URL carrying a credential is refused before any request: ${parameter.split("=")[0]}`, async () => {
    server().routes.set("/signed.tar.gz", { body: tarballOf(template({ "a.md": "a" })) });
    const requests = server().requests.length;
    const cache = join(work, "cache-credentials");
    for (const url of [
      `${server().origin}/signed.tar.gz?${parameter}`,
      `${server().origin}/signed.tar.gz#${parameter}`,
    ]) {
      await refused(["signed", "--template", url, ...QUIET], /parameter looks like a credential/, { cache });
    }
    assert.equal(server().requests.length, requests, "a request was made");
    assert.ok(!existsSync(cache) || !JSON.stringify(readTree(cache)).includes("abc"), "the credential is cached");
  });
}

const LEAVING: [string, RegExp][] = [
  ["gh:acme/templates#../../../../other.tar.gz", /ref .* (contains \.\.|starts with a dot)/],
  ["gh:acme/templates#v1/../../../other", /ref .* (contains \.\.|starts with a dot)/],
  ["gh:acme/templates#..", /ref/],
  ["gh:acme/templates#.", /ref/],
  ["gh:acme/templates#./v1", /ref/],
  ["gh:acme/templates#v1//x", /ref .* empty part/],
  ["gh:acme/templates#/v1", /ref .* empty part/],
  ["gh:acme/templates#v1.lock", /ref .* \.lock/],
  ["gh:acme/templates#%2e%2e", /not a gh: reference/],
  ["gh:../..#main", /repository's name/],
  ["gh:acme/..#main", /repository's name/],
  ["github:./templates#main", /repository's name/],
  ["gitlab:group/..::platform#main", /repository's name/],
  ["gitlab:group/repo#../../x", /ref/],
  ["bitbucket:acme/templates#../x", /ref/],
  ["sourcehut:acme/templates#a/../../b", /ref/],
  ["gh:acme/templates/%2e%2e/x#main", /must not contain \. or \.\./],
];

for (const [source, message] of LEAVING) {
  test(`a reference that leaves its repository is refused before any request: ${source}`, async () => {
    server().routes.set("/other.tar.gz", { body: tarballOf(template({ "a.md": "a" })), token: TOKEN });
    const requests = server().requests.length;
    await refused(["leaving", "--template", source, ...QUIET], message, { env: { GIGET_AUTH: TOKEN } });
    assert.equal(server().requests.length, requests, "a request was made (with the token)");
  });
}

/** An https server on 127.0.0.1 with a certificate made here, and the CA file the CLI must trust for it. */
async function startHttpsServer(): Promise<{ https: TemplateServer; caFile: string }> {
  const dir = mkdtempSync(join(work, "tls-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  const https = await startTemplateServer({
    key: readFileSync(join(dir, "key.pem"), "utf8"),
    cert: readFileSync(join(dir, "cert.pem"), "utf8"),
  });
  return { https, caFile: join(dir, "cert.pem") };
}

test("a redirect from https down to http is refused, whatever its status; https to https is followed", async () => {
  const { https, caFile } = await startHttpsServer();
  try {
    const plain = serve(tarballOf(template({ "a.md": "a" })));
    const tlsEnv = { NODE_EXTRA_CA_CERTS: caFile };
    https.routes.set("/direct.tar.gz", { body: tarballOf(template({ "a.md": "a" })) });
    https.routes.set("/same.tar.gz", { body: Buffer.alloc(0), redirect: { status: 302, location: "/direct.tar.gz" } });
    const followed = await run(["https-ok", "--template", `${https.origin}/same.tar.gz`, ...QUIET], { env: tlsEnv });
    assert.equal(followed.code, 0, `the https set-up itself works: ${followed.stderr}`);
    for (const status of [301, 302, 303, 307, 308] as const) {
      for (const location of [plain, plain.replace("127.0.0.1", "localhost")]) {
        https.routes.set("/down.tar.gz", { body: Buffer.alloc(0), redirect: { status, location } });
        await refused(
          ["downgraded", "--template", `${https.origin}/down.tar.gz`, ...QUIET],
          /redirected to http:\/\/(127\.0\.0\.1|localhost):\d+, from https to http.*; refused/,
          { env: tlsEnv },
        );
      }
    }
  } finally {
    await https.close();
  }
});

test("the token goes only to the template's host, not where it redirects; redirects are bounded", async () => {
  const other = await startTemplateServer();
  try {
    other.routes.set("/elsewhere.tar.gz", { body: tarballOf(template({ "a.md": "a" })) });
    const url = serve(Buffer.alloc(0), { redirect: { status: 302, location: `${other.origin}/elsewhere.tar.gz` } });
    const result = await run(["redirected-token", "--template", url, ...QUIET], { env: { GIGET_AUTH: TOKEN } });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      server().requests.some((request) => request.authorization === `Bearer ${TOKEN}`),
      "the host got the token",
    );
    assert.deepEqual(
      other.requests.map((request) => request.authorization),
      [undefined],
      "the token went where the host redirected",
    );
    server().routes.set("/loop.tar.gz", { body: Buffer.alloc(0), redirect: { status: 302, location: "/loop.tar.gz" } });
    await refused(["loop", "--template", `${server().origin}/loop.tar.gz`, ...QUIET], /more than 5 redirects/);
  } finally {
    await other.close();
  }
});

// Ghost's official clients (@tryghost/content-api, @tryghost/admin-api), unchanged, against
// a running Broadsheet. Run by tests/api/test_ghost_clients.py; prints what came back as
// one JSON object on stdout. Each step catches its own error (as {error, message}) so one
// failure shows next to what the others got.
//
//   GHOST_URL=http://127.0.0.1:8000 CONTENT_KEY=... ADMIN_KEY=id:secret TAG_SLUG=news \
//   POST_SLUG=seeded GHOST_CLIENTS=$(scripts/ghost-clients) node tests/api/ghost_clients.mjs

import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

const env = process.env;
for (const name of ["GHOST_URL", "CONTENT_KEY", "ADMIN_KEY", "TAG_SLUG", "POST_SLUG", "GHOST_CLIENTS"]) {
  if (!env[name]) {
    console.error(`Set ${name}.`);
    process.exit(2);
  }
}
const require = createRequire(path.join(env.GHOST_CLIENTS, "package.json"));
const GhostContentAPI = require("@tryghost/content-api");
const GhostAdminAPI = require("@tryghost/admin-api");

const content = new GhostContentAPI({ url: env.GHOST_URL, key: env.CONTENT_KEY, version: "v6.0" });
const admin = new GhostAdminAPI({ url: env.GHOST_URL, key: env.ADMIN_KEY, version: "v6.0" });

const summary = {};
async function step(name, run) {
  try {
    summary[name] = await run();
  } catch (error) {
    summary[name] = { error: error.name, message: error.message, type: error.type ?? null };
  }
}
// What an error looks like to a client's user: its name is Ghost's error type.
async function failure(run) {
  try {
    await run();
    return { error: null };
  } catch (error) {
    return { error: error.name, message: error.message };
  }
}

// A 1x1 PNG, made here (no fixture file): signature, IHDR, IDAT, IEND.
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const pixels = zlib.deflateSync(Buffer.from([0, 200, 30, 30]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", pixels),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const pick = (obj, keys) => Object.fromEntries(keys.map((key) => [key, obj?.[key]]));
const POST_KEYS = ["id", "slug", "title", "status", "url", "published_at", "updated_at", "html"];

// The Content API.
await step("browse_posts", async () => {
  const posts = await content.posts.browse({
    include: "tags,authors",
    filter: `tag:${env.TAG_SLUG}`,
    limit: 5,
  });
  return {
    meta: posts.meta,
    posts: posts.map((post) => ({
      ...pick(post, ["id", "slug", "title", "url", "html"]),
      tags: post.tags?.map((tag) => tag.slug),
      primary_tag: post.primary_tag?.slug ?? null,
      authors: post.authors?.map((author) => author.slug),
      primary_author: post.primary_author?.slug ?? null,
    })),
  };
});
await step("read_post", async () => {
  const post = await content.posts.read({ slug: env.POST_SLUG }, { include: "tags" });
  return { ...pick(post, ["id", "slug", "title", "html"]), tags: post.tags?.map((t) => t.slug) };
});
await step("read_post_by_id", async () => {
  const id = summary.read_post?.id;
  return pick(await content.posts.read({ id }), ["id", "slug"]);
});
await step("read_missing", () => failure(() => content.posts.read({ slug: "no-such-post" })));
await step("browse_tags", async () => {
  const tags = await content.tags.browse({ include: "count.posts", limit: "all" });
  return { meta: tags.meta, tags: tags.map((tag) => ({ slug: tag.slug, count: tag.count })) };
});
await step("browse_authors", async () => {
  const authors = await content.authors.browse({ include: "count.posts" });
  return authors.map((author) => ({ slug: author.slug, name: author.name, count: author.count }));
});
await step("settings", async () => pick(await content.settings.browse(), ["title", "url", "lang"]));
await step("bad_key", () =>
  failure(() =>
    new GhostContentAPI({ url: env.GHOST_URL, key: "0".repeat(26), version: "v6.0" }).posts.browse(),
  ),
);

// The Admin API.
await step("site", async () => pick(await admin.site.read(), ["title", "url", "version"]));
await step("add_post", async () =>
  pick(
    await admin.posts.add(
      {
        title: "Through the Admin API",
        html: "<p>Written with <strong>Ghost's</strong> own client.</p>",
        tags: [{ slug: env.TAG_SLUG }, "From the client"],
        status: "published",
      },
      { source: "html" },
    ),
    POST_KEYS,
  ),
);
await step("edit_post", async () => {
  const added = summary.add_post;
  return pick(
    await admin.posts.edit({
      id: added.id,
      updated_at: added.updated_at,
      title: "Through the Admin API, edited",
    }),
    POST_KEYS,
  );
});
await step("stale_edit", () =>
  failure(() =>
    admin.posts.edit({
      id: summary.add_post.id,
      updated_at: summary.add_post.updated_at, // the edit above moved it on
      title: "A stale edit",
    }),
  ),
);
await step("read_admin_post", async () => {
  const post = await admin.posts.read({ id: summary.add_post.id });
  return { ...pick(post, POST_KEYS), tags: post.tags?.map((tag) => tag.slug) };
});
const inAWeek = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
await step("schedule_post", async () =>
  pick(
    await admin.posts.add(
      {
        title: "For next week",
        html: "<p>Not yet.</p>",
        status: "scheduled",
        published_at: inAWeek,
      },
      { source: "html" },
    ),
    POST_KEYS,
  ),
);
await step("delete_post", async () => {
  const doomed = await admin.posts.add({ title: "Short-lived", html: "<p>Gone soon.</p>", status: "published" }, { source: "html" });
  const answer = await admin.posts.delete({ id: doomed.id });
  const after = await failure(() => admin.posts.read({ id: doomed.id }));
  return { ...pick(doomed, ["id", "slug", "url"]), answer: answer ?? null, read_after: after };
});
await step("upload_image", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "ghost-clients-"));
  const file = path.join(folder, "dot.png");
  fs.writeFileSync(file, png());
  try {
    return pick(await admin.images.upload({ file, ref: "dot.png" }), ["url", "ref"]);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
await step("add_tag", async () =>
  pick(await admin.tags.add({ name: "Added by client", description: "Made over the Admin API" }), [
    "id",
    "name",
    "slug",
    "description",
    "url",
  ]),
);
await step("browse_admin_posts", async () => {
  const posts = await admin.posts.browse({ limit: "all", filter: "status:scheduled" });
  return { meta: posts.meta, slugs: posts.map((post) => post.slug) };
});

process.stdout.write(JSON.stringify(summary, null, 1) + "\n");

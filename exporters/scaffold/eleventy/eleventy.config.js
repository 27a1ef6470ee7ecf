// The Eleventy scaffold written by mtport: the posts collection, the post
// layout for every post and page, and the site's base path. Site data
// (title, language, URL, section) is in _data/site.json.
const site = require("./_data/site.json");

module.exports = function (eleventyConfig) {
  eleventyConfig.addGlobalData("layout", "post.liquid");
  // Posts live in the section's folder; pages at the root.
  const prefix = "/" + site.section + "/";
  eleventyConfig.addCollection("mt_posts", (api) =>
    api.getAll().filter((item) => typeof item.url === "string" &&
      item.url.startsWith(prefix)));
  // Images and files mtport copied from the old blog keep their old paths;
  // Eleventy copies a file only when told to: every stored path that
  // mtport-assets.tsv lists (its fourth column).
  const fs = require("fs");
  if (fs.existsSync("mtport-assets.tsv")) {
    const rows = fs.readFileSync("mtport-assets.tsv", "utf8").split("\n");
    const unescape = (f) => f.replace(/\\(.)/g, (m, c) =>
      c === "t" ? "\t" : c === "n" ? "\n" : c);
    const stored = new Set(rows.slice(1).map((r) => unescape(r.split("\t")[3] || ""))
      .filter((p) => p && fs.existsSync(p)));
    for (const p of stored) eleventyConfig.addPassthroughCopy(p);
  }
  return {
    pathPrefix: site.basePath,
    dir: { input: ".", includes: "_includes", data: "_data", output: "_site" },
  };
};

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
  return {
    pathPrefix: site.basePath,
    dir: { input: ".", includes: "_includes", data: "_data", output: "_site" },
  };
};
